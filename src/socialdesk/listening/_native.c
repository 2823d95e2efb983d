/* socialdesk.listening._native: the compiled matcher's hot loop in C.
 *
 * Built from `native_plan.py`, which turns every distinct query into a small program of integers (see
 * the OP_ and P_ codes below, mirrored there) over interned keys. Matching a post here:
 *
 *   1. tokenize its text (ASCII text directly; in other text the chunks with non-ASCII characters are
 *      first rewritten as their tokens by `prepare`, so that any byte >= 0x80 is part of a word);
 *   2. look every token up: its bare word and marked form (`words` table), every start of it that is a
 *      wildcard (`prefixes` table), and, when queries use them, the post's field facts (`fields` table);
 *      each key found for the first time in the post triggers the queries indexed under it;
 *   3. evaluate the triggered queries (and the few that need no key), and return the ids of their
 *      monitors, sorted.
 *
 * The meaning is the reference evaluator's (`reference.py`); the property tests hold this module to it.
 * No Python object is made for a post that triggers nothing.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Query programs: kept in sync with native_plan.py. */
enum {
    OP_FALSE = 0, OP_TRUE = 1, OP_KEY = 2, OP_PHRASE = 3, OP_NEAR = 4, OP_NOT = 5, OP_AND = 6, OP_OR = 7,
    OP_AUTHOR = 8, OP_LANG = 9, OP_CHANNEL = 10, OP_FOLLOWERS = 11, OP_VERIFIED = 12, OP_REPOST = 13,
    OP_REPLY = 14, OP_PYTHON = 15,
    P_TERM = 20, P_PREFIX = 21, P_PHRASE = 22, P_ANY = 23
};
enum { FIELD_CHANNEL = 1, FIELD_AUTHOR = 2, FIELD_LANG = 4, FIELD_IS = 8, FIELD_VERIFIED = 16 };

#define FNV_START 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static inline uint64_t step(uint64_t hash, unsigned char byte) { return (hash ^ byte) * FNV_PRIME; }

static uint64_t hash_of(const char *bytes, Py_ssize_t size) {
    uint64_t hash = FNV_START;
    for (Py_ssize_t i = 0; i < size; i++) hash = step(hash, (unsigned char)bytes[i]);
    return hash;
}

/* ---- an open-addressing table of byte strings -> key ids ---- */

typedef struct {
    uint64_t hash;
    Py_ssize_t offset, size;
    int32_t id;
} Slot;

typedef struct {
    Slot *slots;
    size_t mask;
    char *arena;
    Py_ssize_t used;
} Table;

static inline size_t slot_of(uint64_t hash, size_t mask) { return (size_t)(hash ^ (hash >> 29)) & mask; }

static int table_init(Table *table, PyObject *keys, int32_t first_id) {
    Py_ssize_t count = PyList_GET_SIZE(keys), bytes = 0;
    size_t capacity = 8;
    while (capacity < (size_t)count * 2 + 8) capacity <<= 1;
    for (Py_ssize_t i = 0; i < count; i++) bytes += PyBytes_GET_SIZE(PyList_GET_ITEM(keys, i));
    table->slots = PyMem_Calloc(capacity, sizeof(Slot));
    table->arena = PyMem_Malloc(bytes + 1);
    if (table->slots == NULL || table->arena == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    table->mask = capacity - 1;
    table->used = 0;
    for (size_t i = 0; i < capacity; i++) table->slots[i].id = -1;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        const char *data = PyBytes_AS_STRING(key);
        Py_ssize_t size = PyBytes_GET_SIZE(key);
        uint64_t hash = hash_of(data, size);
        size_t at = slot_of(hash, table->mask);
        while (table->slots[at].id >= 0) at = (at + 1) & table->mask;
        memcpy(table->arena + table->used, data, size);
        table->slots[at] = (Slot){hash, table->used, size, first_id + (int32_t)i};
        table->used += size;
    }
    return 0;
}

static inline int32_t table_find(const Table *table, uint64_t hash, const char *data, Py_ssize_t size) {
    size_t at = slot_of(hash, table->mask);
    for (;;) {
        const Slot *slot = &table->slots[at];
        if (slot->id < 0) return -1;
        if (slot->hash == hash && slot->size == size && memcmp(table->arena + slot->offset, data, size) == 0)
            return slot->id;
        at = (at + 1) & table->mask;
    }
}

static void table_free(Table *table) {
    PyMem_Free(table->slots);
    PyMem_Free(table->arena);
    table->slots = NULL;
    table->arena = NULL;
}

/* ---- the matcher ---- */

typedef struct {
    Py_ssize_t start, size;
    unsigned char mark; /* 0, '#' or '@' */
    int32_t bare, form; /* key ids of the bare word and of the marked form (-1: no query mentions it) */
} Token;

typedef struct {
    PyObject_HEAD
    Table words, prefixes, fields;
    uint64_t *filter;             /* one bit per hash of every key: most words of a post are in no query */
    uint64_t filter_mask;
    int32_t key_count, query_count;
    unsigned char *marked;        /* per key: a marked word key (#x, @x), which only marked tokens hold */
    int32_t *trigger_start;       /* per key: its queries in `triggers` */
    int32_t *triggers;
    int32_t *code;                /* the programs */
    int32_t *roots;               /* per query: where its program starts */
    int32_t *member_start;        /* per query: its monitors in `members` (member_start[q]..[q+1]) */
    int32_t *members;
    int32_t *always;              /* queries that need no key */
    Py_ssize_t always_count;
    int field_kinds;
    Py_ssize_t longest_prefix;
    unsigned char prefix_length[256]; /* which wildcard lengths (in bytes, without the mark) exist */
    PyObject *constants;          /* tuple: bytes of field values, ints, bools, callables */
    PyObject *ids;                /* tuple: the monitor ids */
    PyObject *prepare, *fold, *normal_handle, *normal_lang;
    /* per post */
    int busy;                     /* a call is under way (it may run Python code, so another thread could enter) */
    uint32_t epoch;
    uint32_t *present;            /* per key: the epoch it was last found in */
    uint32_t *queued;             /* per query: the epoch it was last triggered in */
    int32_t *pending;             /* triggered queries of the post */
    Py_ssize_t pending_count;
    Token *tokens;
    Py_ssize_t token_count, token_capacity;
    char *text;                   /* the post's text, lower-cased */
    Py_ssize_t text_capacity;
    char *prepared;               /* a non-ASCII text rewritten (see prepare_text) */
    Py_ssize_t prepared_capacity;
    char *scratch;                /* a field key being looked up */
    Py_ssize_t scratch_capacity;
    int32_t *found;               /* matched monitors of the post */
    Py_ssize_t found_count, found_capacity;
    Py_ssize_t *spans;            /* scratch for NEAR */
    Py_ssize_t span_capacity;
} Matcher;

/* A normalized field value as UTF-8: in `small` when short and ASCII, else in `owner` (bytes). */
typedef struct {
    const char *data; /* NULL: the value is None (lang only) */
    Py_ssize_t size;
    PyObject *owner;
    char small[64];
} Text;

/* What the queries read of the post, loaded when first needed. */
typedef struct {
    PyObject *post;
    int loaded;
    Text author, lang, channel;
    PyObject *followers, *verified;
    int repost, reply;
} Facts;

enum { HAVE_AUTHOR = 1, HAVE_LANG = 2, HAVE_CHANNEL = 4, HAVE_FOLLOWERS = 8, HAVE_VERIFIED = 16,
       HAVE_REPOST = 32, HAVE_REPLY = 64 };

static PyObject *s_text, *s_author_handle, *s_lang, *s_channel, *s_followers, *s_verified, *s_is_repost,
    *s_is_reply;

static void facts_clear(Facts *facts) {
    Py_CLEAR(facts->author.owner);
    Py_CLEAR(facts->lang.owner);
    Py_CLEAR(facts->channel.owner);
    Py_CLEAR(facts->followers);
    Py_CLEAR(facts->verified);
    facts->loaded = 0;
}

/* A str attribute normalized: ASCII lower-cased here (with a leading `@` stripped, `_` written `-`),
 * anything else by the Python function `slow` (its result encoded with surrogatepass, as the plan's
 * constants are). `none_ok`: None is a value (data NULL) rather than handed to `slow`. */
static int normalized(PyObject *post, PyObject *name, PyObject *slow, int strip_at, int dashes, int none_ok,
                      Text *out) {
    PyObject *value = PyObject_GetAttr(post, name);
    if (value == NULL) return -1;
    out->data = NULL;
    out->size = 0;
    if (none_ok && value == Py_None) {
        Py_DECREF(value);
        return 0;
    }
    if (!PyUnicode_Check(value) || !PyUnicode_IS_ASCII(value) || PyUnicode_GET_LENGTH(value) > 64) {
        PyObject *result = PyObject_CallOneArg(slow, value);
        Py_DECREF(value);
        if (result == NULL) return -1;
        if (!PyUnicode_Check(result)) {
            PyErr_SetString(PyExc_TypeError, "a normalized field must be str");
            Py_DECREF(result);
            return -1;
        }
        Py_SETREF(result, PyUnicode_AsEncodedString(result, "utf-8", "surrogatepass"));
        if (result == NULL) return -1;
        out->owner = result;
        out->data = PyBytes_AS_STRING(result);
        out->size = PyBytes_GET_SIZE(result);
        return 0;
    }
    Py_ssize_t size = PyUnicode_GET_LENGTH(value);
    const char *data = (const char *)PyUnicode_1BYTE_DATA(value);
    Py_ssize_t skip = 0;
    /* fold() lower-cases ASCII; normal_handle removes one leading "@" after folding. */
    if (strip_at && size > 0 && data[0] == '@') skip = 1;
    for (Py_ssize_t i = skip; i < size; i++) {
        char c = data[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        else if (dashes && c == '_') c = '-';
        out->small[i - skip] = c;
    }
    out->data = out->small;
    out->size = size - skip;
    Py_DECREF(value);
    return 0;
}

static int truth_of(PyObject *post, PyObject *name) {
    PyObject *value = PyObject_GetAttr(post, name);
    if (value == NULL) return -1;
    int truth = PyObject_IsTrue(value);
    Py_DECREF(value);
    return truth;
}

static int load(Matcher *m, Facts *facts, int what) {
    int missing = what & ~facts->loaded;
    if (!missing) return 0;
    PyObject *post = facts->post;
    if (missing & HAVE_AUTHOR && normalized(post, s_author_handle, m->normal_handle, 1, 0, 0, &facts->author) < 0)
        return -1;
    if (missing & HAVE_CHANNEL && normalized(post, s_channel, m->fold, 0, 0, 0, &facts->channel) < 0) return -1;
    if (missing & HAVE_LANG && normalized(post, s_lang, m->normal_lang, 0, 1, 1, &facts->lang) < 0) return -1;
    if (missing & HAVE_FOLLOWERS) {
        if ((facts->followers = PyObject_GetAttr(post, s_followers)) == NULL) return -1;
    }
    if (missing & HAVE_VERIFIED) {
        if ((facts->verified = PyObject_GetAttr(post, s_verified)) == NULL) return -1;
    }
    if (missing & HAVE_REPOST && (facts->repost = truth_of(post, s_is_repost)) < 0) return -1;
    if (missing & HAVE_REPLY && (facts->reply = truth_of(post, s_is_reply)) < 0) return -1;
    facts->loaded |= missing;
    return 0;
}

static int same_text(const Text *value, PyObject *wanted) {
    return value->size == PyBytes_GET_SIZE(wanted) && memcmp(value->data, PyBytes_AS_STRING(wanted), value->size) == 0;
}

/* ---- keys found in the post ---- */

static int grow(void **buffer, Py_ssize_t *capacity, Py_ssize_t needed, size_t item) {
    if (needed <= *capacity) return 0;
    Py_ssize_t size = *capacity ? *capacity : 64;
    while (size < needed) size *= 2;
    void *bigger = PyMem_Realloc(*buffer, (size_t)size * item);
    if (bigger == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *buffer = bigger;
    *capacity = size;
    return 0;
}

static inline int present(const Matcher *m, int32_t key) { return m->present[key] == m->epoch; }

static inline void found_key(Matcher *m, int32_t key) {
    if (m->present[key] == m->epoch) return;
    m->present[key] = m->epoch;
    for (int32_t i = m->trigger_start[key]; i < m->trigger_start[key + 1]; i++) {
        int32_t query = m->triggers[i];
        if (m->queued[query] != m->epoch) {
            m->queued[query] = m->epoch;
            m->pending[m->pending_count++] = query;
        }
    }
}

/* Bytes of words: a-z, 0-9 (after lower-casing) and every byte of a non-ASCII character. */
static unsigned char word_bytes[256];
/* ASCII upper case to lower case, every other byte as it is. */
static unsigned char lower_bytes[256];

static inline int word_byte(unsigned char c) { return word_bytes[c]; }

static inline int may_hold(const Matcher *m, uint64_t hash) {
    uint64_t bit = (hash >> 40) & m->filter_mask;
    return (m->filter[bit >> 6] >> (bit & 63)) & 1;
}

static inline int32_t lookup(const Matcher *m, const Table *table, uint64_t hash, const char *data, Py_ssize_t size) {
    return may_hold(m, hash) ? table_find(table, hash, data, size) : -1;
}

/* Split the lower-cased text into tokens; look up each token's keys. */
static int scan_text(Matcher *m, const char *source, Py_ssize_t size) {
    if (grow((void **)&m->text, &m->text_capacity, size + 1, 1) < 0) return -1;
    char *text = m->text;
    for (Py_ssize_t i = 0; i < size; i++) text[i] = (char)lower_bytes[(unsigned char)source[i]];
    m->token_count = 0;
    Py_ssize_t i = 0;
    while (i < size) {
        if (!word_byte((unsigned char)text[i])) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        uint64_t hash = FNV_START;
        while (i < size && word_byte((unsigned char)text[i])) hash = step(hash, (unsigned char)text[i++]);
        unsigned char mark = 0;
        if (start >= 1 && (text[start - 1] == '#' || text[start - 1] == '@') &&
            (start < 2 || !word_byte((unsigned char)text[start - 2])))
            mark = (unsigned char)text[start - 1];
        if (m->token_count == m->token_capacity &&
            grow((void **)&m->tokens, &m->token_capacity, m->token_count + 1, sizeof(Token)) < 0)
            return -1;
        Token *token = &m->tokens[m->token_count++];
        Py_ssize_t length = i - start;
        token->start = start;
        token->size = length;
        token->mark = mark;
        token->bare = lookup(m, &m->words, hash, text + start, length);
        token->form = token->bare;
        if (token->bare >= 0) found_key(m, token->bare);
        if (mark) {
            token->form = lookup(m, &m->words, hash_of(text + start - 1, length + 1), text + start - 1, length + 1);
            if (token->form >= 0) found_key(m, token->form);
        }
        if (m->longest_prefix) {
            Py_ssize_t last = length < m->longest_prefix ? length : m->longest_prefix;
            uint64_t plain = FNV_START, marked = step(FNV_START, mark);
            for (Py_ssize_t k = 0; k < last; k++) {
                unsigned char c = (unsigned char)text[start + k];
                plain = step(plain, c);
                marked = step(marked, c);
                if (!m->prefix_length[k + 1 < 255 ? k + 1 : 255]) continue;
                int32_t key = lookup(m, &m->prefixes, plain, text + start, k + 1);
                if (key >= 0) found_key(m, key);
                if (mark) {
                    key = lookup(m, &m->prefixes, marked, text + start - 1, k + 2);
                    if (key >= 0) found_key(m, key);
                }
            }
        }
    }
    return 0;
}

static int find_field(Matcher *m, const char *label, Py_ssize_t label_size, const char *data, Py_ssize_t size) {
    if (grow((void **)&m->scratch, &m->scratch_capacity, label_size + size + 1, 1) < 0) return -1;
    memcpy(m->scratch, label, label_size);
    memcpy(m->scratch + label_size, data, size);
    int32_t key = table_find(&m->fields, hash_of(m->scratch, label_size + size), m->scratch, label_size + size);
    if (key >= 0) found_key(m, key);
    return 0;
}

/* The post's field keys (as requirements.post_field_keys writes them). */
static int scan_fields(Matcher *m, Facts *facts) {
    int kinds = m->field_kinds;
    int what = ((kinds & FIELD_CHANNEL) ? HAVE_CHANNEL : 0) | ((kinds & FIELD_AUTHOR) ? HAVE_AUTHOR : 0) |
               ((kinds & FIELD_LANG) ? HAVE_LANG : 0) | ((kinds & FIELD_IS) ? HAVE_REPOST | HAVE_REPLY : 0);
    if (load(m, facts, what) < 0) return -1;
    if ((kinds & FIELD_CHANNEL) && find_field(m, "channel:", 8, facts->channel.data, facts->channel.size) < 0)
        return -1;
    if ((kinds & FIELD_AUTHOR) && find_field(m, "author:", 7, facts->author.data, facts->author.size) < 0)
        return -1;
    if ((kinds & FIELD_LANG) && facts->lang.data != NULL) {
        const char *lang = facts->lang.data;
        for (Py_ssize_t i = 0; i <= facts->lang.size; i++)
            if ((i == facts->lang.size || lang[i] == '-') && find_field(m, "lang:", 5, lang, i) < 0) return -1;
    }
    if (kinds & FIELD_IS) {
        int32_t key;
        if (facts->repost && (key = table_find(&m->fields, hash_of("is:repost", 9), "is:repost", 9)) >= 0)
            found_key(m, key);
        if (facts->reply && (key = table_find(&m->fields, hash_of("is:reply", 8), "is:reply", 8)) >= 0)
            found_key(m, key);
    }
    if (kinds & FIELD_VERIFIED) {
        if (load(m, facts, HAVE_VERIFIED) < 0) return -1;
        int truth = PyObject_RichCompareBool(facts->verified, Py_True, Py_EQ); /* verified:true */
        if (truth < 0) return -1;
        int32_t key;
        if (truth && (key = table_find(&m->fields, hash_of("verified", 8), "verified", 8)) >= 0)
            found_key(m, key);
    }
    return 0;
}

/* ---- evaluation ---- */

static inline int token_is(const Matcher *m, Py_ssize_t index, int32_t key) {
    const Token *token = &m->tokens[index];
    return m->marked[key] ? token->form == key : token->bare == key;
}

static int phrase_at(const Matcher *m, Py_ssize_t start, const int32_t *keys, int32_t count) {
    if (start + count > m->token_count) return 0;
    for (int32_t k = 0; k < count; k++)
        if (!token_is(m, start + k, keys[k])) return 0;
    return 1;
}

/* Whether a positional can occur: all the keys it needs are in the post. */
static int maybe(const Matcher *m, int32_t at) {
    const int32_t *code = m->code + at;
    switch (code[0]) {
    case P_TERM:
        return present(m, code[1]);
    case P_PREFIX:
        return present(m, code[1]);
    case P_PHRASE:
        if (code[1] == 0) return 0;
        for (int32_t k = 0; k < code[1]; k++)
            if (!present(m, code[2 + k])) return 0;
        return 1;
    default: /* P_ANY */
        for (int32_t k = 0; k < code[1]; k++)
            if (maybe(m, code[2 + k])) return 1;
        return 0;
    }
}

/* Append the (first, last) spans of a positional to m->spans from *count on. */
static int collect_spans(Matcher *m, int32_t at, Py_ssize_t *count) {
    const int32_t *code = m->code + at;
    if (code[0] == P_ANY) {
        for (int32_t k = 0; k < code[1]; k++)
            if (collect_spans(m, code[2 + k], count) < 0) return -1;
        return 0;
    }
    for (Py_ssize_t i = 0; i < m->token_count; i++) {
        Py_ssize_t last = -1;
        if (code[0] == P_TERM) {
            if (token_is(m, i, code[1])) last = i;
        } else if (code[0] == P_PHRASE) {
            if (code[1] > 0 && phrase_at(m, i, code + 2, code[1])) last = i + code[1] - 1;
        } else { /* P_PREFIX: constant bytes mark + prefix */
            PyObject *prefix = PyTuple_GET_ITEM(m->constants, code[2]);
            const char *data = PyBytes_AS_STRING(prefix);
            Py_ssize_t size = PyBytes_GET_SIZE(prefix);
            const Token *token = &m->tokens[i];
            if (data[0] == '#' || data[0] == '@') {
                if (token->mark != (unsigned char)data[0]) continue;
                data++;
                size--;
            }
            if (token->size >= size && memcmp(m->text + token->start, data, size) == 0) last = i;
        }
        if (last < 0) continue;
        if (grow((void **)&m->spans, &m->span_capacity, 2 * (*count + 1), sizeof(Py_ssize_t)) < 0) return -1;
        m->spans[2 * *count] = i;
        m->spans[2 * *count + 1] = last;
        (*count)++;
    }
    return 0;
}

static int near(Matcher *m, int32_t left, int32_t right, int32_t distance) {
    if (!maybe(m, left) || !maybe(m, right)) return 0;
    Py_ssize_t lefts = 0, all = 0;
    if (collect_spans(m, left, &lefts) < 0) return -1;
    all = lefts;
    if (collect_spans(m, right, &all) < 0) return -1;
    const Py_ssize_t *spans = m->spans;
    for (Py_ssize_t a = 0; a < lefts; a++) {
        Py_ssize_t first = spans[2 * a], last = spans[2 * a + 1];
        for (Py_ssize_t b = lefts; b < all; b++) {
            Py_ssize_t other_first = spans[2 * b], other_last = spans[2 * b + 1];
            if (last < other_first && other_first - last <= distance) return 1;
            if (other_last < first && first - other_last <= distance) return 1;
        }
    }
    return 0;
}

static const int compare_ops[] = {Py_GT, Py_GE, Py_LT, Py_LE};

static int evaluate(Matcher *m, Facts *facts, int32_t at) {
    const int32_t *code = m->code + at;
    int result;
    switch (code[0]) {
    case OP_FALSE:
        return 0;
    case OP_TRUE:
        return 1;
    case OP_KEY:
        return present(m, code[1]);
    case OP_PHRASE:
        if (code[1] == 0) return 0;
        for (int32_t k = 0; k < code[1]; k++)
            if (!present(m, code[2 + k])) return 0;
        for (Py_ssize_t i = 0; i + code[1] <= m->token_count; i++)
            if (phrase_at(m, i, code + 2, code[1])) return 1;
        return 0;
    case OP_NEAR:
        return near(m, code[1], code[2], code[3]);
    case OP_NOT:
        result = evaluate(m, facts, code[1]);
        return result < 0 ? result : !result;
    case OP_AND:
        for (int32_t k = 0; k < code[1]; k++)
            if ((result = evaluate(m, facts, code[2 + k])) <= 0) return result;
        return 1;
    case OP_OR:
        for (int32_t k = 0; k < code[1]; k++)
            if ((result = evaluate(m, facts, code[2 + k])) != 0) return result;
        return 0;
    case OP_AUTHOR:
        if (load(m, facts, HAVE_AUTHOR) < 0) return -1;
        return same_text(&facts->author, PyTuple_GET_ITEM(m->constants, code[1]));
    case OP_CHANNEL:
        if (load(m, facts, HAVE_CHANNEL) < 0) return -1;
        return same_text(&facts->channel, PyTuple_GET_ITEM(m->constants, code[1]));
    case OP_LANG: {
        if (load(m, facts, HAVE_LANG) < 0) return -1;
        if (facts->lang.data == NULL) return 0;
        PyObject *wanted = PyTuple_GET_ITEM(m->constants, code[1]);
        Py_ssize_t size = facts->lang.size, wanted_size = PyBytes_GET_SIZE(wanted);
        const char *lang = facts->lang.data;
        if (size < wanted_size || memcmp(lang, PyBytes_AS_STRING(wanted), wanted_size) != 0) return 0;
        return size == wanted_size || lang[wanted_size] == '-';
    }
    case OP_FOLLOWERS:
        if (load(m, facts, HAVE_FOLLOWERS) < 0) return -1;
        if (facts->followers == Py_None) return 0;
        return PyObject_RichCompareBool(facts->followers, PyTuple_GET_ITEM(m->constants, code[2]),
                                        compare_ops[code[1]]);
    case OP_VERIFIED:
        if (load(m, facts, HAVE_VERIFIED) < 0) return -1;
        return PyObject_RichCompareBool(facts->verified, PyTuple_GET_ITEM(m->constants, code[1]), Py_EQ);
    case OP_REPOST:
        if (load(m, facts, HAVE_REPOST) < 0) return -1;
        return facts->repost;
    case OP_REPLY:
        if (load(m, facts, HAVE_REPLY) < 0) return -1;
        return facts->reply;
    case OP_PYTHON: {
        PyObject *answer = PyObject_CallOneArg(PyTuple_GET_ITEM(m->constants, code[1]), facts->post);
        if (answer == NULL) return -1;
        result = PyObject_IsTrue(answer);
        Py_DECREF(answer);
        return result;
    }
    default:
        PyErr_Format(PyExc_SystemError, "bad matcher program at %d", (int)at);
        return -1;
    }
}

static int by_number(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int add_members(Matcher *m, int32_t query) {
    int32_t first = m->member_start[query], end = m->member_start[query + 1];
    if (grow((void **)&m->found, &m->found_capacity, m->found_count + (end - first), sizeof(int32_t)) < 0)
        return -1;
    for (int32_t i = first; i < end; i++) m->found[m->found_count++] = m->members[i];
    return 0;
}

static void next_epoch(Matcher *m) {
    if (++m->epoch == UINT32_MAX) {
        memset(m->present, 0, sizeof(uint32_t) * (size_t)(m->key_count > 0 ? m->key_count : 1));
        memset(m->queued, 0, sizeof(uint32_t) * (size_t)(m->query_count > 0 ? m->query_count : 1));
        m->epoch = 1;
    }
    m->pending_count = 0;
    m->found_count = 0;
}

/* Text with non-ASCII characters, as fasttokens.prepared_text writes it: the whitespace-separated chunks
 * (str.split()), the ASCII ones as they are, the others rewritten as their tokens by `prepare` (the
 * Python tokenizer, which remembers chunks), joined by single spaces. Every byte >= 0x80 of the result is
 * part of a word. */
static int prepare_text(Matcher *m, PyObject *text, Py_ssize_t *size_out) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), used = 0, i = 0;
    while (i < length) {
        if (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        int ascii = 1;
        for (; i < length; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (Py_UNICODE_ISSPACE(c)) break;
            if (c >= 128) ascii = 0;
        }
        if (grow((void **)&m->prepared, &m->prepared_capacity, used + (i - start) + 1, 1) < 0) return -1;
        if (used > 0) m->prepared[used++] = ' ';
        if (ascii) {
            for (Py_ssize_t j = start; j < i; j++) m->prepared[used++] = (char)PyUnicode_READ(kind, data, j);
            continue;
        }
        PyObject *chunk = PyUnicode_Substring(text, start, i);
        if (chunk == NULL) return -1;
        PyObject *tokens = PyObject_CallOneArg(m->prepare, chunk);
        Py_DECREF(chunk);
        if (tokens == NULL) return -1;
        Py_ssize_t size;
        const char *written = PyUnicode_Check(tokens) ? PyUnicode_AsUTF8AndSize(tokens, &size) : NULL;
        if (written == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "the chunk tokenizer must return str");
            Py_DECREF(tokens);
            return -1;
        }
        if (grow((void **)&m->prepared, &m->prepared_capacity, used + size + 1, 1) < 0) {
            Py_DECREF(tokens);
            return -1;
        }
        memcpy(m->prepared + used, written, size);
        used += size;
        Py_DECREF(tokens);
    }
    *size_out = used;
    return 0;
}

/* Tokenize a text and find its keys. */
static int scan_string(Matcher *m, PyObject *text) {
    Py_ssize_t size;
    if (PyUnicode_IS_ASCII(text)) return scan_text(m, (const char *)PyUnicode_1BYTE_DATA(text), PyUnicode_GET_LENGTH(text));
    if (prepare_text(m, text, &size) < 0) return -1;
    return scan_text(m, m->prepared, size);
}

static int scan_post(Matcher *m, PyObject *post) {
    PyObject *text = PyObject_GetAttr(post, s_text);
    if (text == NULL) return -1;
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "a post's text must be str, not %.100s", Py_TYPE(text)->tp_name);
        Py_DECREF(text);
        return -1;
    }
    int result = scan_string(m, text);
    Py_DECREF(text);
    return result;
}

static PyObject *match_post(Matcher *m, PyObject *post) {
    next_epoch(m);
    Facts facts = {.post = post};
    PyObject *result = NULL;
    if (scan_post(m, post) < 0) return NULL;
    if (m->field_kinds && scan_fields(m, &facts) < 0) goto done;
    for (Py_ssize_t i = 0; i < m->always_count + m->pending_count; i++) {
        int32_t query = i < m->always_count ? m->always[i] : m->pending[i - m->always_count];
        int matched = evaluate(m, &facts, m->roots[query]);
        if (matched < 0) goto done;
        if (matched && add_members(m, query) < 0) goto done;
    }
    if (m->found_count > 1) qsort(m->found, (size_t)m->found_count, sizeof(int32_t), by_number);
    Py_ssize_t distinct = 0;
    for (Py_ssize_t i = 0; i < m->found_count; i++)
        if (i == 0 || m->found[i] != m->found[i - 1]) m->found[distinct++] = m->found[i];
    result = PyList_New(distinct);
    if (result == NULL) goto done;
    for (Py_ssize_t i = 0; i < distinct; i++) {
        PyObject *id = PyTuple_GET_ITEM(m->ids, m->found[i]);
        Py_INCREF(id);
        PyList_SET_ITEM(result, i, id);
    }
done:
    facts_clear(&facts);
    return result;
}

/* The cyclic garbage collector is paused while the result lists are made (they hold no cycles): else it
 * would walk every live object, posts included, every few hundred posts. */
static int enter(Matcher *m) {
    if (m->code == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the Matcher was not initialized");
        return -1;
    }
    if (m->busy) {
        PyErr_SetString(PyExc_RuntimeError, "the Matcher is in use (one call at a time; lock around it)");
        return -1;
    }
    m->busy = 1;
    return 0;
}

static PyObject *match_all(Matcher *m, PyObject *posts);

static PyObject *Matcher_match_many(Matcher *m, PyObject *posts) {
    if (enter(m) < 0) return NULL;
    PyObject *results = match_all(m, posts);
    m->busy = 0;
    return results;
}

static PyObject *match_all(Matcher *m, PyObject *posts) {
    PyObject *iterator = PyObject_GetIter(posts);
    if (iterator == NULL) return NULL;
    PyObject *results = PyList_New(0), *post;
    if (results == NULL) {
        Py_DECREF(iterator);
        return NULL;
    }
    int collecting = PyGC_Disable();
    while ((post = PyIter_Next(iterator)) != NULL) {
        PyObject *found = match_post(m, post);
        Py_DECREF(post);
        if (found == NULL || PyList_Append(results, found) < 0) {
            Py_XDECREF(found);
            Py_CLEAR(results);
            break;
        }
        Py_DECREF(found);
    }
    if (collecting) PyGC_Enable();
    Py_DECREF(iterator);
    if (results != NULL && PyErr_Occurred()) Py_CLEAR(results);
    return results;
}

/* The tokens of a text as this module splits them ("#comcast", "down"), for the tests. */
static PyObject *tokens_of(Matcher *m, PyObject *text);

static PyObject *Matcher_tokens(Matcher *m, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "tokens() takes a str");
        return NULL;
    }
    if (enter(m) < 0) return NULL;
    PyObject *result = tokens_of(m, text);
    m->busy = 0;
    return result;
}

static PyObject *tokens_of(Matcher *m, PyObject *text) {
    next_epoch(m);
    PyObject *result = NULL;
    if (scan_string(m, text) == 0 && (result = PyList_New(m->token_count)) != NULL) {
        for (Py_ssize_t i = 0; i < m->token_count; i++) {
            const Token *token = &m->tokens[i];
            Py_ssize_t back = token->mark ? 1 : 0;
            PyObject *string = PyUnicode_DecodeUTF8(m->text + token->start - back, token->size + back, "strict");
            if (string == NULL) {
                Py_CLEAR(result);
                break;
            }
            PyList_SET_ITEM(result, i, string);
        }
    }
    return result;
}

static int32_t *int_array(PyObject *list, Py_ssize_t *size_out, const char *what) {
    Py_ssize_t size = PyList_GET_SIZE(list);
    int32_t *array = PyMem_Malloc(sizeof(int32_t) * (size_t)(size > 0 ? size : 1));
    if (array == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        long value = PyLong_AsLong(PyList_GET_ITEM(list, i));
        if (value == -1 && PyErr_Occurred()) {
            PyMem_Free(array);
            return NULL;
        }
        if (value < INT32_MIN || value > INT32_MAX) {
            PyErr_Format(PyExc_OverflowError, "%s: %ld does not fit", what, value);
            PyMem_Free(array);
            return NULL;
        }
        array[i] = (int32_t)value;
    }
    if (size_out) *size_out = size;
    return array;
}

static void Matcher_dealloc(Matcher *m) {
    table_free(&m->words);
    table_free(&m->prefixes);
    table_free(&m->fields);
    void *buffers[] = {m->filter, m->marked, m->trigger_start, m->triggers, m->code, m->roots, m->member_start,
                       m->members, m->always, m->present, m->queued, m->pending, m->tokens, m->text,
                       m->found, m->spans, m->scratch, m->prepared};
    for (size_t i = 0; i < sizeof(buffers) / sizeof(buffers[0]); i++) PyMem_Free(buffers[i]);
    Py_XDECREF(m->constants);
    Py_XDECREF(m->ids);
    Py_XDECREF(m->prepare);
    Py_XDECREF(m->fold);
    Py_XDECREF(m->normal_handle);
    Py_XDECREF(m->normal_lang);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

/* Matcher(words, prefixes, fields, marked, trigger_start, triggers, code, roots, member_start, members,
 *         always, field_kinds, constants, ids, prepare, fold, normal_handle, normal_lang)
 * See native_plan.py for what each holds. */
static int Matcher_init(Matcher *m, PyObject *args, PyObject *kwargs) {
    PyObject *words, *prefixes, *fields, *marked, *trigger_start, *triggers, *code, *roots, *member_start,
        *members, *always, *constants, *ids, *prepare, *fold, *normal_handle, *normal_lang;
    int field_kinds;
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) > 0) {
        PyErr_SetString(PyExc_TypeError, "Matcher() takes no keyword arguments");
        return -1;
    }
    if (m->code != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "a Matcher is initialized once");
        return -1;
    }
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!O!O!O!O!O!iO!O!OOOO:Matcher", &PyList_Type, &words, &PyList_Type,
                          &prefixes, &PyList_Type, &fields, &PyList_Type, &marked, &PyList_Type, &trigger_start,
                          &PyList_Type, &triggers, &PyList_Type, &code, &PyList_Type, &roots, &PyList_Type,
                          &member_start, &PyList_Type, &members, &PyList_Type, &always, &field_kinds,
                          &PyTuple_Type, &constants, &PyTuple_Type, &ids, &prepare, &fold, &normal_handle,
                          &normal_lang))
        return -1;
    PyObject *tables[] = {words, prefixes, fields};
    for (int t = 0; t < 3; t++)
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(tables[t]); i++)
            if (!PyBytes_Check(PyList_GET_ITEM(tables[t], i))) {
                PyErr_SetString(PyExc_TypeError, "keys must be bytes");
                return -1;
            }
    Py_ssize_t word_count = PyList_GET_SIZE(words), prefix_count = PyList_GET_SIZE(prefixes);
    m->key_count = (int32_t)(word_count + prefix_count + PyList_GET_SIZE(fields));
    m->query_count = (int32_t)PyList_GET_SIZE(roots);
    if (table_init(&m->words, words, 0) < 0 || table_init(&m->prefixes, prefixes, (int32_t)word_count) < 0 ||
        table_init(&m->fields, fields, (int32_t)(word_count + prefix_count)) < 0)
        return -1;
    uint64_t bits = 4096;
    while (bits < (uint64_t)m->key_count * 16 && bits < ((uint64_t)1 << 24)) bits <<= 1;
    m->filter = PyMem_Calloc((size_t)(bits / 64), sizeof(uint64_t));
    if (m->filter == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    m->filter_mask = bits - 1;
    Table *all[] = {&m->words, &m->prefixes, &m->fields};
    for (int t = 0; t < 3; t++)
        for (size_t i = 0; i <= all[t]->mask; i++)
            if (all[t]->slots[i].id >= 0) {
                uint64_t bit = (all[t]->slots[i].hash >> 40) & m->filter_mask;
                m->filter[bit >> 6] |= (uint64_t)1 << (bit & 63);
            }
    memset(m->prefix_length, 0, sizeof(m->prefix_length));
    m->longest_prefix = 0;
    for (Py_ssize_t i = 0; i < prefix_count; i++) {
        PyObject *key = PyList_GET_ITEM(prefixes, i);
        Py_ssize_t size = PyBytes_GET_SIZE(key);
        const char *data = PyBytes_AS_STRING(key);
        if (size > 0 && (data[0] == '#' || data[0] == '@')) size--; /* lengths count the word only */
        m->prefix_length[size < 255 ? size : 255] = 1;
        if (size > m->longest_prefix) m->longest_prefix = size;
    }
    if (m->prefix_length[255]) memset(m->prefix_length, 1, sizeof(m->prefix_length)); /* long: test all */
    Py_ssize_t size;
    int32_t *flags = int_array(marked, &size, "marked");
    if (flags == NULL) return -1;
    m->marked = PyMem_Malloc((size_t)(size > 0 ? size : 1));
    if (m->marked == NULL) {
        PyMem_Free(flags);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < size; i++) m->marked[i] = (unsigned char)flags[i];
    PyMem_Free(flags);
    Py_ssize_t pending_capacity;
    if ((m->trigger_start = int_array(trigger_start, NULL, "trigger_start")) == NULL ||
        (m->triggers = int_array(triggers, NULL, "triggers")) == NULL ||
        (m->code = int_array(code, NULL, "code")) == NULL ||
        (m->roots = int_array(roots, &pending_capacity, "roots")) == NULL ||
        (m->member_start = int_array(member_start, NULL, "member_start")) == NULL ||
        (m->members = int_array(members, NULL, "members")) == NULL ||
        (m->always = int_array(always, &m->always_count, "always")) == NULL)
        return -1;
    if (PyList_GET_SIZE(trigger_start) != m->key_count + 1 || PyList_GET_SIZE(member_start) != m->query_count + 1 ||
        size != m->key_count) {
        PyErr_SetString(PyExc_ValueError, "inconsistent matcher plan");
        return -1;
    }
    m->present = PyMem_Calloc((size_t)(m->key_count > 0 ? m->key_count : 1), sizeof(uint32_t));
    m->queued = PyMem_Calloc((size_t)(m->query_count > 0 ? m->query_count : 1), sizeof(uint32_t));
    m->pending = PyMem_Malloc(sizeof(int32_t) * (size_t)(m->query_count > 0 ? m->query_count : 1));
    if (m->present == NULL || m->queued == NULL || m->pending == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    m->epoch = 0;
    m->field_kinds = field_kinds;
    m->constants = Py_NewRef(constants);
    m->ids = Py_NewRef(ids);
    m->prepare = Py_NewRef(prepare);
    m->fold = Py_NewRef(fold);
    m->normal_handle = Py_NewRef(normal_handle);
    m->normal_lang = Py_NewRef(normal_lang);
    return 0;
}

static PyMethodDef Matcher_methods[] = {
    {"match_many", (PyCFunction)Matcher_match_many, METH_O,
     "match_many(posts) -> list of lists: the ids of the monitors each post matches, sorted."},
    {"tokens", (PyCFunction)Matcher_tokens, METH_O, "tokens(text) -> the token strings, as matched."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject MatcherType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "socialdesk.listening._native.Matcher",
    .tp_basicsize = sizeof(Matcher),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "All monitors of a workspace, compiled (built by socialdesk.listening.native_plan).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Matcher_init,
    .tp_dealloc = (destructor)Matcher_dealloc,
    .tp_methods = Matcher_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "socialdesk.listening._native",
    "The compiled matcher's hot loop (see native_plan.py).", -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__native(void) {
    for (int c = 0; c < 256; c++) {
        lower_bytes[c] = (unsigned char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        word_bytes[c] = (unsigned char)((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80);
    }
    if (PyType_Ready(&MatcherType) < 0) return NULL;
    struct { PyObject **slot; const char *name; } names[] = {
        {&s_text, "text"},           {&s_author_handle, "author_handle"}, {&s_lang, "lang"},
        {&s_channel, "channel"},     {&s_followers, "followers"},         {&s_verified, "verified"},
        {&s_is_repost, "is_repost"}, {&s_is_reply, "is_reply"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if ((*names[i].slot = PyUnicode_InternFromString(names[i].name)) == NULL) return NULL;
    PyObject *created = PyModule_Create(&module);
    if (created == NULL) return NULL;
    Py_INCREF(&MatcherType);
    if (PyModule_AddObject(created, "Matcher", (PyObject *)&MatcherType) < 0) {
        Py_DECREF(&MatcherType);
        Py_DECREF(created);
        return NULL;
    }
    if (PyModule_AddIntConstant(created, "PLAN_VERSION", 1) < 0) {
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
