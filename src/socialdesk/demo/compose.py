"""Writing the text of demo posts: customers' posts (with typos, emoji, hashtags) and care agents' replies."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass

from socialdesk.demo.brands import Brand, City
from socialdesk.demo.vocabulary import (
    EN,
    NEWS_HEADLINES,
    NEWS_SUMMARIES,
    REDDIT_FILLERS,
    REDDIT_TITLES,
    REVIEW_FILLERS,
    REVIEW_TITLES,
    SECTOR_HASHTAGS,
    SIGNATURES,
    Intent,
    LanguageBank,
)
from socialdesk.demo.vocabulary_intl import LANGUAGES

BRAND_SLOTS = ("b", "name", "alias", "tag", "hashtag")
MENTION_CHANNELS = ("x", "mastodon", "bluesky")
PRIVATE_TAILS = (
    "my account number is {account}",
    "call me on {phone}",
    "my email is {email}",
    "ref {account}",
)
ELONGATE = re.compile(r"\b(so|slow|please|why|no|now|love|good|down|again|thanks|omg|yes)\b")
ALNUM = string.ascii_letters + string.digits
ORDINALS = ("2nd", "3rd", "4th", "5th", "6th", "10th")
PHONES = {
    "en": ("07700 900{d3}", "(617) 555-01{d2}", "07700 900 {d3}"),
    "es": ("+34 600 555 {d3}",),
    "fr": ("06 55 5{d1} {d2} {d2}",),
    "de": ("0151 555 {d4}",),
    "pt": ("+351 912 555 {d3}", "(11) 95555-{d4}"),
    "ja": ("090-5555-{d4}",),
}


@dataclass(slots=True)
class Scene:
    """What a post is about: the brand, where and when, in which language, addressed how."""

    brand: Brand
    channel: str
    bank: LanguageBank
    city: City
    hour: int  # local hour the trouble started (outages) or of the post
    first: str = ""  # the customer's first name, for replies
    mention: bool = True  # name the brand by @-mention when the channel allows


class Slots(dict[str, str]):
    """`str.format_map` slots filled on first use, so a template draws only the randomness it needs."""

    def __init__(self, writer: Writer, scene: Scene) -> None:
        super().__init__()
        self.writer = writer
        self.scene = scene

    def __missing__(self, key: str) -> str:
        value = self.writer.slot(key, self)
        self[key] = value
        return value


class Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # --- slots -------------------------------------------------------------------------------------------
    def slot(self, key: str, slots: Slots) -> str:  # noqa: C901 (one flat branch per slot name)
        rng, scene = self.rng, slots.scene
        brand = scene.brand
        if key == "b":
            return self.brand_ref(scene)
        if key == "name":
            return brand.name
        if key == "alias":
            return brand.alias
        if key == "tag":
            return brand.outage_tag
        if key == "hashtag":
            return brand.hashtag
        if key == "domain":
            return brand.domain
        if key == "city":
            return scene.city.name
        if key == "since":
            return rng.choice(scene.bank.since).format_map(slots)
        if key == "h":
            return self.hour(scene.bank.lang, scene.hour)
        if key == "eta":
            return self.hour(scene.bank.lang, (scene.hour + rng.randint(2, 5)) % 24)
        if key == "days":
            return str(rng.randint(2, 6))
        if key == "hours":
            return str(rng.randint(2, 9))
        if key == "n":
            return str(rng.randint(3, 12))
        if key == "mins":
            return str(rng.randrange(20, 100, 5))
        if key == "nth":
            return rng.choice(ORDINALS)
        if key == "comp":
            return rng.choice(brand.competitors) if brand.competitors else "the competition"
        if key == "first":
            return scene.first
        if key == "esc":
            return rng.choice(scene.bank.escalations).format_map(slots)
        if key == "phone":
            template = rng.choice(PHONES.get(scene.bank.lang) or PHONES["en"])
            return template.format(
                d1=rng.randrange(10), d2=f"{rng.randrange(100):02}", d3=f"{rng.randrange(1000):03}",
                d4=f"{rng.randrange(10000):04}",
            )  # fmt: skip
        if key == "email":
            name = "".join(ch for ch in scene.first.lower() if ch.isascii() and ch.isalpha()) or "me"
            return (
                f"{name}{rng.randrange(1, 999)}@{rng.choice(('example.com', 'example.org', 'example.net'))}"
            )
        if key == "account":
            return self.account(brand)
        if key == "private":
            return self.slot(rng.choice(("phone", "email", "account")), slots)
        if key == "url":
            words = ("gr8-deals", "free-cash", "win-now", "promo-hub", "verify-acct")
            code = "".join(rng.choices(ALNUM, k=6))
            return f"https://{rng.choice(words)}.example/{code}"
        raise KeyError(key)

    def account(self, brand: Brand) -> str:
        rng = self.rng
        initials = "".join(word[0] for word in brand.name.split()).upper()
        if brand.sector == "airline":
            return "".join(rng.choices(string.ascii_uppercase + "23456789", k=6))
        if brand.sector == "bank":
            if rng.random() < 0.15:
                return rng.choice(("4111 1111 1111 1111", "5555 5555 5555 4444"))  # well-known test cards
            return f"{rng.randrange(10**7, 10**8)}"
        if brand.sector == "streaming":
            return f"#{initials}-{rng.randrange(10**6, 10**7)}"
        return f"{initials}{rng.randrange(10**7, 10**8)}"

    @staticmethod
    def hour(lang: str, hour: int) -> str:
        if lang == "en":
            return f"{(hour - 1) % 12 + 1}{'am' if hour < 12 else 'pm'}"
        if lang == "fr":
            return f"{hour}h"
        return f"{hour}:00"

    def brand_ref(self, scene: Scene) -> str:
        """An @-mention when the scene asks for one and the brand is on the channel; else its name."""
        brand, channel = scene.brand, scene.channel
        if scene.mention and channel in MENTION_CHANNELS and channel in brand.handles:
            return "@" + brand.handles[channel]
        r = self.rng.random()
        if r < 0.45:
            return brand.name
        if r < 0.85:
            return brand.alias
        return brand.hashtag

    def fill(self, template: str, slots: Slots) -> str:
        text = template.format_map(slots)
        if not any(key in slots for key in BRAND_SLOTS):
            text = f"{text} {slots['b']}"
        return text

    # --- customers -----------------------------------------------------------------------------------------
    def customer(self, intent: Intent, scene: Scene) -> str:
        """A short post (x, mastodon, bluesky) by a customer."""
        rng, bank = self.rng, scene.bank
        slots = Slots(self, scene)
        if intent == "spam":
            spam = bank.spam or EN.spam
            text = self.fill(rng.choice(spam), slots)
            if rng.random() < 0.5:
                text += " " + scene.brand.hashtag
            return text
        if intent in ("complaint", "other") and bank.competitor and rng.random() < 0.12:
            core = rng.choice(bank.competitor)
            return self.finish(self.fill(core, slots), intent, scene)
        core = rng.choice(self.cores(intent, scene))
        frame = rng.choice(bank.frames.get(intent) or ("{b} {core}",))
        text = self.fill(frame.replace("{core}", core), slots)
        if intent in ("complaint", "question") and bank.lang == "en" and rng.random() < 0.05:
            text += ". " + rng.choice(PRIVATE_TAILS).format_map(slots)
        return self.finish(text, intent, scene)

    def cores(self, intent: Intent, scene: Scene) -> tuple[str, ...]:
        bank, sector = scene.bank, scene.brand.sector
        if intent == "complaint":
            return bank.pick(bank.complaint, sector)
        if intent == "question":
            return bank.pick(bank.question, sector)
        if intent == "outage_report":
            return bank.pick(bank.outage, sector)
        if intent == "praise":
            return bank.pick(bank.praise, sector)
        if intent == "feedback":
            return bank.pick(bank.feedback, sector)
        return bank.other

    def finish(self, text: str, intent: str, scene: Scene) -> str:
        """Decorate like people do: emoji, hashtags, links, typos, elongation, shouting."""
        rng = self.rng
        if scene.bank.lang != "ja":
            text = self.noise(text, intent, scene.brand)
        if rng.random() < 0.25:
            emoji = scene.bank.emoji.get(intent)
            if emoji:
                text += " " + rng.choice(emoji) * rng.choice((1, 1, 1, 2, 3))
        r = rng.random()
        if r < 0.06:
            text += " " + rng.choice(SECTOR_HASHTAGS.get(scene.brand.sector) or SECTOR_HASHTAGS["general"])
        elif r < 0.09:
            text += " " + scene.brand.hashtag
        elif r < 0.11 and intent in ("complaint", "outage_report"):
            text += " " + rng.choice(SECTOR_HASHTAGS["general"])
        r = rng.random()
        if r < 0.05 and scene.channel == "x":
            text += " https://t.co/" + "".join(rng.choices(ALNUM, k=10))
        elif r < 0.08 and scene.brand.sector == "isp" and intent == "complaint":
            text += f" https://www.speedtest.net/result/{rng.randrange(10**10, 10**11)}"
        return text

    def noise(self, text: str, intent: str, brand: Brand) -> str:
        """Elongation ("sooo slowww"), a swapped pair of letters (rarely in the brand's name), case."""
        rng = self.rng
        if rng.random() < 0.1:
            text = ELONGATE.sub(lambda m: m.group(1) + m.group(1)[-1] * rng.randint(2, 4), text, count=1)
        if rng.random() < 0.1:
            words = text.split(" ")
            i = rng.randrange(len(words))
            word = words[i]
            protected = word.lower() in brand.name.lower() and rng.random() < 0.85
            if len(word) > 4 and word.isalpha() and not protected:
                j = rng.randrange(1, len(word) - 2)
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
                text = " ".join(words)
        r = rng.random()
        if r < 0.04 and intent in ("complaint", "outage_report"):
            text = text.upper()
        elif r < 0.5 and text[:1].isalpha():
            text = text[0].upper() + text[1:]
        if intent == "complaint" and rng.random() < 0.15:
            text += rng.choice(("!!", "!!!", "?!", "..."))
        return text

    def longform(self, intent: Intent, scene: Scene) -> str:
        """A reddit submission: title, blank line, a few sentences."""
        rng = self.rng
        slots = Slots(self, scene)
        title = rng.choice(REDDIT_TITLES.get(intent) or REDDIT_TITLES["other"]).format_map(slots)
        core = rng.choice(self.cores(intent, scene)).format_map(slots)
        mood = "complaint" if intent in ("complaint", "outage_report", "question") else intent
        fillers = rng.sample(REDDIT_FILLERS["general"] + REDDIT_FILLERS.get(mood, ()), rng.randint(1, 3))
        body = " ".join([sentence(core)] + [f.format_map(slots) for f in fillers])
        return f"{title}\n\n{body}"

    def review(self, intent: Intent, scene: Scene) -> str:
        rng = self.rng
        stars = {"complaint": (1, 2), "praise": (5, 5), "feedback": (3, 4)}.get(intent, (2, 4))
        n = rng.randint(*stars)
        slots = Slots(self, scene)
        title = rng.choice(REVIEW_TITLES.get(intent) or REVIEW_TITLES["feedback"]).format_map(slots)
        core = rng.choice(self.cores(intent, scene)).format_map(slots)
        extra = rng.choice(REVIEW_FILLERS.get(intent) or REVIEW_FILLERS["feedback"]).format_map(slots)
        return f"{'★' * n}{'☆' * (5 - n)} {title}\n{sentence(core)} {extra}"

    def news(self, intent: Intent, scene: Scene) -> str:
        slots = Slots(self, scene)
        headline = self.rng.choice(NEWS_HEADLINES.get(intent) or NEWS_HEADLINES["other"]).format_map(slots)
        summary = self.rng.choice(NEWS_SUMMARIES.get(intent) or NEWS_SUMMARIES["other"]).format_map(slots)
        return f"{headline} — {summary}"

    def followup(self, kind: str, scene: Scene) -> str:
        """A customer's answer to the brand's reply."""
        rng = self.rng
        slots = Slots(self, scene)
        text = rng.choice(scene.bank.followups[kind]).format_map(slots)
        if scene.channel in ("x", "mastodon") and scene.channel in scene.brand.handles:
            text = f"@{scene.brand.handles[scene.channel]} {text}"
        return text if scene.bank.lang == "ja" else self.noise(text, "other", scene.brand)

    # --- care agents ---------------------------------------------------------------------------------------
    def agent(self, kind: str, scene: Scene, customer_handle: str, signature: str | None) -> str:
        """A care agent's reply, sometimes with a promise and a signature like "^AB"."""
        rng, bank = self.rng, scene.bank
        slots = Slots(self, scene)
        text = rng.choice(bank.replies[kind]).format_map(slots)
        if kind in ("apology_dm", "escalate", "outage_ack") and rng.random() < 0.3:
            text += " " + rng.choice(bank.promises)
        if signature:
            text += " " + signature
        if customer_handle and scene.channel in ("x", "mastodon"):
            text = f"@{customer_handle} {text}"
        return text

    def signature(self, brand: Brand) -> str:
        return self.rng.choice(SIGNATURES)


def sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def bank_for(lang: str) -> LanguageBank:
    return LANGUAGES.get(lang) or EN
