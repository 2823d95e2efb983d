"""Invented authors of demo traffic: customers (heavy-tailed followers), influencers, spammers, brands, news.

Names are combinations of common first names and surnames; handles, ids and follower counts are random.
"""

from __future__ import annotations

import functools
import math
import random
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Any

from socialdesk.demo.brands import Brand

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Emma", "Olivia", "Jack", "Liam", "Noah", "Sophie", "Priya", "Mohammed", "Chloe", "Daniel", "Aisha",
        "Tom", "Hannah", "Ryan", "Grace", "Ben", "Zoe", "Kwame", "Mei", "Lucy", "Oscar", "Jade", "Marcus",
        "Nina", "Sam", "Ella", "Callum", "Amara", "Jordan", "Megan", "Ravi", "Tyler", "Keisha", "Owen",
    ),
    "es": ("Lucía", "Mateo", "Sofía", "Alejandro", "Valentina", "Diego", "Camila", "Javier", "Paula",
           "Carlos"),
    "fr": ("Camille", "Lucas", "Chloé", "Hugo", "Manon", "Théo", "Léa", "Julien", "Inès", "Antoine"),
    "de": ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Mia", "Leon", "Hannah", "Paul", "Laura"),
    "pt": ("João", "Ana", "Pedro", "Beatriz", "Rafael", "Mariana", "Tiago", "Inês", "Lucas", "Larissa"),
}  # fmt: skip
SURNAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith", "Patel", "Walker", "Hughes", "Khan", "O'Brien", "Clarke", "Nguyen", "Robinson", "Evans",
        "Johnson", "Murphy", "Wright", "Ali", "Taylor", "Brooks", "Reed", "Fraser", "Okafor", "Chen", "Lewis",
    ),
    "es": ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Torres", "Ruiz", "Herrera"),
    "fr": ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux", "Mercier"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Wagner", "Koch"),
    "pt": ("Silva", "Santos", "Oliveira", "Costa", "Pereira", "Almeida", "Ferreira", "Rodrigues", "Souza"),
}  # fmt: skip
JA_GIVEN = (("ゆき", "yuki"), ("はると", "haruto"), ("さくら", "sakura"), ("けんた", "kenta"),
            ("あおい", "aoi"), ("りく", "riku"), ("みお", "mio"), ("そうた", "sota"))  # fmt: skip
JA_FAMILY = (("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"),
             ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"))  # fmt: skip
WORDS = ("sleepy", "grumpy", "cosmic", "tiny", "urban", "quiet", "lazy", "wild", "panda", "fox", "otter",
         "cyclist", "gardener", "nomad", "coder", "baker", "runner", "vinyl", "coffee", "tea")  # fmt: skip
NAME_DECOR = (" 🌻", " ☕", " 🏳️‍🌈", " 🇬🇧", " | dad of 2", " (she/her)", " 🎧", " ⚽")
MASTODON_INSTANCES: dict[str, tuple[str, ...]] = {
    "en": ("mastodon.social", "mas.to", "hachyderm.io", "mastodon.online", "fosstodon.org", "mstdn.social"),
    "es": ("mastodon.social", "mastodon.online"),
    "fr": ("piaille.fr", "mastodon.social", "mamot.fr"),
    "de": ("chaos.social", "troet.cafe", "mastodon.social"),
    "pt": ("mastodon.com.br", "mastodon.social"),
    "ja": ("mstdn.jp", "mastodon-japan.net"),
}
# (display name, handle base, followers, language): invented influencers who post now and then.
NOTABLES = (
    ("Tara Okoye", "TechWithTara", 482_000, "en"),
    ("Gus Lindqvist", "gadgetgus", 152_300, "en"),
    ("Mike Danvers", "MoneyMattersMike", 310_500, "en"),
    ("Rosa Almeida", "RoamingRosa", 231_000, "pt"),
    ("Luis Ortega", "luisviaja", 98_400, "es"),
    ("中村はな", "hana_tabi", 120_900, "ja"),
)
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
BASE32 = "234567abcdefghijklmnopqrstuvwxyz"  # sortable, as in AT Protocol record keys (TIDs)
DID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


@dataclass(slots=True)
class Persona:
    """An author as emitted (`author`) plus what replies need: the first name, language, and channel."""

    author: dict[str, Any]
    first: str
    lang: str
    channel: str


@functools.lru_cache(maxsize=4096)
def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if ch.isalnum())


def encode(number: int, alphabet: str, width: int = 0) -> str:
    digits = []
    while number:
        number, rest = divmod(number, len(alphabet))
        digits.append(alphabet[rest])
    return "".join(reversed(digits)).rjust(width, alphabet[0])


def followers_for(rng: random.Random) -> int:
    """Heavy-tailed: median about 150, one in ten in the thousands, one in a hundred 20k or more."""
    r = rng.random()
    if r < 0.9:
        return int(rng.lognormvariate(math.log(150), 1.25))
    if r < 0.99:
        return int(rng.lognormvariate(math.log(2500), 1.0))
    return int(20_000 * rng.paretovariate(1.3))


class AuthorPool:
    """Creates authors and brings some back: people who post once are common, regulars too."""

    reuse = 0.3
    notable_rate = 0.004
    pool_size = 5000  # regulars remembered per (channel, language)

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._pools: dict[tuple[str, str], list[Persona]] = {}
        self._handles: set[tuple[str, str]] = set()
        self._fixed: dict[tuple[str, str], Persona] = {}

    def customer(self, channel: str, lang: str) -> Persona:
        rng = self.rng
        pool = self._pools.setdefault((channel, lang), [])
        if pool and rng.random() < self.reuse:
            return pool[int(rng.random() * len(pool))]
        if channel in ("x", "bluesky", "mastodon") and rng.random() < self.notable_rate:
            notables = [n for n in NOTABLES if n[3] == lang]
            if notables:
                name, base, followers, _ = rng.choice(notables)
                return self._fixed_persona(channel, f"notable:{base}", name, base, followers, True, lang)
        first, display, base = self._name(lang)
        followers = followers_for(rng)
        if channel == "review":
            followers = int(rng.lognormvariate(1.0, 1.0))
        elif channel == "reddit":
            followers //= 3
        verified = (
            channel == "x" and ((followers > 50_000 and rng.random() < 0.7) or rng.random() < 0.015)
        ) or (channel == "bluesky" and followers > 50_000 and rng.random() < 0.3)
        persona = self._make(channel, first, display, base, followers, verified, lang)
        if len(pool) < self.pool_size:
            pool.append(persona)
        else:  # an endless stream forgets some regulars rather than grow without bound
            pool[int(rng.random() * len(pool))] = persona
        return persona

    def spammer(self, channel: str) -> Persona:
        rng = self.rng
        base = rng.choice(
            ("crypto_gains", "deals_hub", "cash_daily", "promo_queen", "followers4u", "win_big")
        )
        base += str(rng.randrange(10, 99999))
        followers = rng.choice((rng.randrange(0, 40), rng.randrange(5000, 40_000)))  # some bought followers
        return self._make(channel, "", base.replace("_", " ").title(), base, followers, False, "en")

    def brand(self, brand: Brand, channel: str) -> Persona:
        """The brand's own account on `channel`: author id is stable, derived from the handle."""
        handle = brand.handles[channel]
        key = (channel, f"brand:{brand.key}")
        if key not in self._fixed:
            seed = zlib.crc32(f"{channel}:{handle}".encode())
            followers = 40_000 + seed % 400_000
            author = {
                "id": self._id(channel, random.Random(seed)),
                "handle": handle,
                "name": brand.name if channel != "x" else f"{brand.name} Help",
                "followers": followers,
                "verified": channel in ("x", "bluesky"),
            }
            self._fixed[key] = Persona(author, brand.name, "en", channel)
        return self._fixed[key]

    def outlet(self, name: str, domain: str) -> Persona:
        key = ("rss", domain)
        if key not in self._fixed:
            author = {"id": f"https://{domain}/feed", "handle": domain, "name": name, "followers": 0}
            author["verified"] = False
            self._fixed[key] = Persona(author, name, "en", "rss")
        return self._fixed[key]

    def _fixed_persona(
        self, channel: str, key: str, name: str, base: str, followers: int, verified: bool, lang: str
    ) -> Persona:
        if (channel, key) not in self._fixed:
            first = name.split()[0]
            self._fixed[(channel, key)] = self._make(channel, first, name, base, followers, verified, lang)
        return self._fixed[(channel, key)]

    def _name(self, lang: str) -> tuple[str, str, str]:
        """(first name, display name, handle base) for a new person."""
        rng = self.rng
        if lang == "ja":
            (given, given_r), (family, family_r) = rng.choice(JA_GIVEN), rng.choice(JA_FAMILY)
            style = rng.random()
            base = f"{given_r}_{family_r[0]}" if style < 0.5 else f"{given_r}{rng.randrange(1, 9999)}"
            return given, (family + given if style < 0.7 else given), base
        first = rng.choice(FIRST_NAMES.get(lang) or FIRST_NAMES["en"])
        last = rng.choice(SURNAMES.get(lang) or SURNAMES["en"])
        f, s = ascii_fold(first), ascii_fold(last)
        style = rng.random()
        if style < 0.25:
            base = f + s
        elif style < 0.45:
            base = f"{f.lower()}_{s[0].lower()}{rng.randrange(1, 99)}"
        elif style < 0.6:
            base = f"{f.lower()}{s.lower()}{rng.randrange(70, 100)}"
        elif style < 0.75:
            base = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}{rng.randrange(1, 999)}"
        elif style < 0.88:
            base = f"{s}{f[0]}{rng.randrange(1, 9999)}"
        elif style < 0.95:
            base = f"{f.lower()}.{s.lower()}"
        else:
            base = f"the_real_{f.lower()}"
        style = rng.random()
        if style < 0.45:
            display = f"{first} {last}"
        elif style < 0.65:
            display = f"{first} {last[0]}."
        elif style < 0.8:
            display = first.lower()
        else:
            display = first + rng.choice(NAME_DECOR)
        return first, display, base

    def _make(
        self, channel: str, first: str, display: str, base: str, followers: int, verified: bool, lang: str
    ) -> Persona:
        rng = self.rng
        handle = self._handle(channel, base, lang)
        while (channel, handle) in self._handles:
            handle = self._handle(channel, f"{base[:11]}{rng.randrange(10, 9999)}", lang)
        self._handles.add((channel, handle))
        author = {
            "id": self._id(channel, rng),
            "handle": handle,
            "name": display,
            "followers": followers,
            "verified": verified,
        }
        return Persona(author, first or display, lang, channel)

    def _handle(self, channel: str, base: str, lang: str) -> str:
        if channel == "x":
            return base.replace(".", "_")[:15]
        if channel == "mastodon":
            instances = MASTODON_INSTANCES.get(lang) or MASTODON_INSTANCES["en"]
            return f"{base.lower()}@{self.rng.choice(instances)}"
        if channel == "bluesky":
            return base.lower().replace("_", "-").strip("-") + ".bsky.social"
        if channel == "reddit" and self.rng.random() < 0.3:
            words = self.rng.sample(WORDS, 2)
            return f"{words[0].title()}_{words[1].title()}_{self.rng.randrange(1000, 9999)}"
        return base

    @staticmethod
    def _id(channel: str, rng: random.Random) -> str:
        if channel == "x":
            return str(rng.randrange(10**7, 10**19))
        if channel == "mastodon":
            return str(rng.randrange(10**17, 10**18))
        if channel == "bluesky":
            return "did:plc:" + "".join(rng.choices(DID_ALPHABET, k=24))
        if channel == "reddit":
            return "t2_" + encode(rng.getrandbits(40), BASE36, 8)
        return f"{channel}-user-{rng.randrange(10**9)}"
