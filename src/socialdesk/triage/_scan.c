/* socialdesk.triage._scan: the batch path's chunk loop (`scan.scan_python`) in C.
 *
 * For each post: split the text on whitespace (`str.split()`), look every chunk up in the chunk memo
 * of `features` (`PLANS[negate]`; a miss calls `plan_missing`, which computes and remembers the
 * plan in Python), and gather the vocabulary ids of the plans' features, the plans' words and cue
 * bits; then add the ids of the post's cue features. The meaning is `scan.scan_python`'s; the
 * property tests hold this module to it and to `features.extract`.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    int64_t *data;
    Py_ssize_t size;
    Py_ssize_t capacity;
} Buffer;

static int push(Buffer *buf, int64_t value) {
    if (buf->size == buf->capacity) {
        Py_ssize_t capacity = buf->capacity ? 2 * buf->capacity : 1024;
        int64_t *data = PyMem_Realloc(buf->data, (size_t)capacity * sizeof(int64_t));
        if (data == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        buf->data = data;
        buf->capacity = capacity;
    }
    buf->data[buf->size++] = value;
    return 0;
}

static PyObject *as_bytes(Buffer *buf) {
    return PyBytes_FromStringAndSize((const char *)buf->data, buf->size * (Py_ssize_t)sizeof(int64_t));
}

/* Adds the ids of the known names in `names` (a tuple of str) to `ids`. */
static int push_ids(Buffer *ids, PyObject *names, PyObject *index) {
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *id = PyDict_GetItemWithError(index, PyTuple_GET_ITEM(names, k));
        if (id == NULL) {
            if (PyErr_Occurred()) return -1;
            continue;
        }
        long long value = PyLong_AsLongLong(id);
        if (value == -1 && PyErr_Occurred()) return -1;
        if (push(ids, value) < 0) return -1;
    }
    return 0;
}

/* One post: its ids go to `ids`; returns its cue bits, or -1 with an exception set. */
static long scan_post(PyObject *text, int reply, PyObject *plans, PyObject *plan_missing, PyObject *index,
                      PyObject *cue_ids, long reply_bit, long empty_bit, long feature_mask, Buffer *ids,
                      PyObject *words) {
    PyObject *chunks = PyUnicode_Split(text, NULL, -1);
    if (chunks == NULL) return -1;
    long cues = 0;
    long negate = 0;
    int any_feature = 0;
    Py_ssize_t n = PyList_GET_SIZE(chunks);
    for (Py_ssize_t c = 0; c < n; c++) {
        PyObject *chunk = PyList_GET_ITEM(chunks, c);
        if (negate < 0 || negate >= PyList_GET_SIZE(plans)) {
            PyErr_SetString(PyExc_ValueError, "negation state out of range");
            goto fail;
        }
        PyObject *memo = PyList_GET_ITEM(plans, negate);
        PyObject *plan = PyDict_CheckExact(memo) ? PyDict_GetItemWithError(memo, chunk) : NULL;
        if (plan != NULL) {
            Py_INCREF(plan);
        } else {
            if (PyErr_Occurred()) goto fail;
            plan = PyObject_CallFunction(plan_missing, "Ol", chunk, negate);
            if (plan == NULL) goto fail;
        }
        if (!PyTuple_CheckExact(plan) || PyTuple_GET_SIZE(plan) != 4 ||
            !PyTuple_CheckExact(PyTuple_GET_ITEM(plan, 0)) || !PyTuple_CheckExact(PyTuple_GET_ITEM(plan, 1))) {
            Py_DECREF(plan);
            PyErr_SetString(PyExc_TypeError, "a chunk plan is a tuple (features, words, cues, negate)");
            goto fail;
        }
        PyObject *feats = PyTuple_GET_ITEM(plan, 0);
        PyObject *plan_words = PyTuple_GET_ITEM(plan, 1);
        long chunk_cues = PyLong_AsLong(PyTuple_GET_ITEM(plan, 2));
        long next = PyLong_AsLong(PyTuple_GET_ITEM(plan, 3));
        if ((chunk_cues == -1 || next == -1) && PyErr_Occurred()) {
            Py_DECREF(plan);
            goto fail;
        }
        if (PyTuple_GET_SIZE(feats)) {
            any_feature = 1;
            if (push_ids(ids, feats, index) < 0) {
                Py_DECREF(plan);
                goto fail;
            }
        }
        Py_ssize_t nw = PyTuple_GET_SIZE(plan_words);
        for (Py_ssize_t w = 0; w < nw; w++) {
            if (PyList_Append(words, PyTuple_GET_ITEM(plan_words, w)) < 0) {
                Py_DECREF(plan);
                goto fail;
            }
        }
        cues |= chunk_cues;
        negate = next;
        Py_DECREF(plan);
    }
    Py_DECREF(chunks);
    if (reply) cues |= reply_bit;
    if (!any_feature) cues |= empty_bit;
    long mask = cues & feature_mask;
    if (mask < 0 || mask >= PyTuple_GET_SIZE(cue_ids)) {
        PyErr_SetString(PyExc_ValueError, "cue bits out of range");
        return -1;
    }
    PyObject *cue_names = PyTuple_GET_ITEM(cue_ids, mask);
    if (!PyTuple_CheckExact(cue_names)) {
        PyErr_SetString(PyExc_TypeError, "cue ids are tuples of ints");
        return -1;
    }
    Py_ssize_t nc = PyTuple_GET_SIZE(cue_names);
    for (Py_ssize_t k = 0; k < nc; k++) {
        long long value = PyLong_AsLongLong(PyTuple_GET_ITEM(cue_names, k));
        if (value == -1 && PyErr_Occurred()) return -1;
        if (push(ids, value) < 0) return -1;
    }
    return cues;
fail:
    Py_DECREF(chunks);
    return -1;
}

static PyObject *scan(PyObject *self, PyObject *args) {
    PyObject *texts, *replies, *plans, *plan_missing, *index, *cue_ids;
    long reply_bit, empty_bit, feature_mask;
    if (!PyArg_ParseTuple(args, "O!O!O!OO!O!lll:scan", &PyList_Type, &texts, &PyList_Type, &replies,
                          &PyList_Type, &plans, &plan_missing, &PyDict_Type, &index, &PyTuple_Type, &cue_ids,
                          &reply_bit, &empty_bit, &feature_mask))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(texts);
    if (PyList_GET_SIZE(replies) != n) {
        PyErr_SetString(PyExc_ValueError, "texts and replies differ in length");
        return NULL;
    }
    Buffer ids = {NULL, 0, 0};
    Buffer counts = {NULL, 0, 0};
    PyObject *all_words = PyList_New(n);
    PyObject *all_cues = PyList_New(n);
    if (all_words == NULL || all_cues == NULL) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyList_GET_ITEM(texts, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts must be str");
            goto fail;
        }
        int reply = PyObject_IsTrue(PyList_GET_ITEM(replies, i));
        if (reply < 0) goto fail;
        PyObject *words = PyList_New(0);
        if (words == NULL) goto fail;
        PyList_SET_ITEM(all_words, i, words);
        Py_ssize_t before = ids.size;
        long cues = scan_post(text, reply, plans, plan_missing, index, cue_ids, reply_bit, empty_bit,
                              feature_mask, &ids, words);
        if (cues < 0 && PyErr_Occurred()) goto fail;
        PyObject *cue_int = PyLong_FromLong(cues);
        if (cue_int == NULL) goto fail;
        PyList_SET_ITEM(all_cues, i, cue_int);
        if (push(&counts, (int64_t)(ids.size - before)) < 0) goto fail;
    }
    PyObject *id_bytes = as_bytes(&ids);
    PyObject *count_bytes = id_bytes ? as_bytes(&counts) : NULL;
    PyMem_Free(ids.data);
    PyMem_Free(counts.data);
    if (count_bytes == NULL) {
        Py_XDECREF(id_bytes);
        Py_DECREF(all_words);
        Py_DECREF(all_cues);
        return NULL;
    }
    return Py_BuildValue("(NNNN)", id_bytes, count_bytes, all_words, all_cues);
fail:
    PyMem_Free(ids.data);
    PyMem_Free(counts.data);
    Py_XDECREF(all_words);
    Py_XDECREF(all_cues);
    return NULL;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS,
     "scan(texts, replies, plans, plan_missing, index, cue_ids, reply_bit, empty_bit, feature_mask)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", "The triage batch scan in C.", -1, methods};

PyMODINIT_FUNC PyInit__scan(void) { return PyModule_Create(&module); }
