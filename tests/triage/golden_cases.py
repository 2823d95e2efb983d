"""The inputs of the golden triage test: generated demo posts, hand-written edge cases, seeded mixtures.

All texts come from our own generator or are written here; none is dataset text. Regenerate the
expected outputs (only when a change of output is intended) with:

    python -m tests.triage.golden_cases > tests/triage/data/golden.jsonl
"""

from __future__ import annotations

import itertools
import json
import random
from typing import Any

from socialdesk.demo.traffic import generate_posts

EDGE_TEXTS = [
    "",
    " ",
    "\n\t",
    "!!!",
    "???",
    "?",
    "...",
    "@brand",
    "@brand thanks!!",
    "#outage",
    "http://example.com",
    "www.example.com/help",
    "😍😍😍",
    "😡 👎 💔",
    "🔥🔥 fire sale 🔥",
    "my Fire TV stick won't connect",
    "there is smoke and a fire in the store, call an ambulance",
    ":) :( :D ;-) :-/ <3 =]",
    "soooooo goooood!!! loooove it",
    "WORST SERVICE EVER, FIX IT NOW",
    "I am NOT happy, not at all.",
    "i can't log in, it doesn't work and i don’t know why",
    "Thanks a lot, you guys are great",
    "网络又断了,请尽快修复!",
    "インターネットが使えません。助けてください",
    "인터넷이 안 돼요 도와주세요",
    "Интернет не работает уже два дня",
    "Інтернет не працює, допоможіть",
    "الإنترنت لا يعمل منذ يومين",
    "इंटरनेट काम नहीं कर रहा है",
    "Το ίντερνετ δεν λειτουργεί",
    "האינטרנט לא עובד",
    "อินเทอร์เน็ตใช้ไม่ได้",
    "el internet no funciona desde ayer, por favor ayuda",
    "le service ne marche pas depuis hier, merci de m'aider",
    "das Internet funktioniert nicht, bitte helfen Sie mir",
    "a internet não está funcionando, por favor ajuda",
    "internet non funziona da ieri, grazie per l'aiuto",
    "het internet werkt niet, kunnen jullie helpen",
    "internet çalışmıyor, lütfen yardım edin",
    "internet tidak bisa, tolong bantu saya",
    "straße ñ ß ã ğ ç è ì",
    "hi @delta 你好 ok",
    "call me at (555) 123-4567 or +44 20 7946 0958",
    "my number is 555-123-4567, email jane.doe+test@example.co.uk",
    "card 4111 1111 1111 1111 was charged twice",
    "card 4111-1111-1111-1112 is not valid",
    "order #A12345 never arrived, account no. 99887766",
    "my order number is 123-4567890-1234567",
    "booking ref: XK7P2Q9 for flight UA 123 at 10:30 on 12/05/2024, $45.99",
    "frequent flyer 12345678 and SkyMiles number 987654321",
    "send it to 221B Baker Street, Apt 4, London",
    "I live at 1600 Pennsylvania Avenue NW",
    "reach me on 07700 900123 or 1-800-555-0199",
    "tweet 1234567890123456789 is not a phone",
    "email me at bob@example.com @bob",
    "IBAN DE89370400440532013000 please refund",
    "€20 taken from my account, no refund",
    "how do I reset my password",
    "is there a way to change my seat?",
    "you should add dark mode, it would be great",
    "follow back for free followers, crypto giveaway http://bit.ly/x",
    "win a free iphone click here",
    "on hold for 2 hours, still waiting, third time this week",
    "flight cancelled, stranded at the airport, lost my luggage",
    "error 503 again, site down",
    "down in Miami for 3 hours now",
    "a" * 300,
    "word " * 120,
    "1234567",
    "12 34 56 78 90 12 34",
    "\u200b\u200bzero width\u200b",
    "tab\tseparated\ttext and\r\nnewlines",
    "Ünïcödé ÀÉÎÕÜ caps TEST",
    "ΟΔΟΣ ΟΔΟΣ, ΟΔΟΣ.ΟΔΟΣ İSTANBUL",
    "not good!!! not. good no ok not at all?! @x not #bad",
    "I'm not happy :( but ok :) NOT",
]

_POOL = [
    "the",
    "internet",
    "is",
    "down",
    "not",
    "working",
    "again",
    "please",
    "help",
    "refund",
    "charged",
    "twice",
    "order",
    "#",
    "account",
    "no.",
    "12345678",
    "555-123-4567",
    "(555)",
    "123-4567",
    "4111111111111111",
    "a@b.co",
    "@support",
    "http://x.co/a",
    "!!!",
    "?",
    ":)",
    ":(",
    "😍",
    "😡",
    "网络",
    "не",
    "работает",
    "gracias",
    "merci",
    "danke",
    "can't",
    "don’t",
    "SOOOO",
    "baaaad",
    "42",
    "Main",
    "Street",
    "10",
    "$5",
    "fire",
    "tv",
    "hospital",
    "delayed",
    "on",
    "hold",
    "why",
    "you",
    "should",
    "add",
    ",",
    ".",
    "\n",
]


def cases() -> list[dict[str, Any]]:
    """Each case: `text` and keyword arguments for `Triager.triage` (plus `vip` for the VIP setting)."""
    out: list[dict[str, Any]] = []
    for post in itertools.islice(generate_posts(300, seed=9), 300):
        out.append({"text": post["text"], "lang_hint": post.get("lang")})
    out.extend({"text": t} for t in EDGE_TEXTS)
    rng = random.Random(9)
    for _ in range(120):
        n = rng.randint(0, 25)
        seps = (" ", " ", " ", "", ", ")
        text = "".join(rng.choice(_POOL) + rng.choice(seps) for _ in range(n))
        out.append({"text": text})
    # Context: hints, replies, repeat contacts, waiting, VIP.
    for i, t in enumerate(EDGE_TEXTS[:40]):
        out.append(
            {
                "text": t,
                "lang_hint": ("es", "fr", "EN-us", None)[i % 4],
                "is_reply": i % 2 == 0,
                "repeat_contacts": i % 5,
                "wait_seconds": float(i * 1800),
                "author_handle": ("@BigCustomer", "alice", None)[i % 3],
                "vip": i % 3 == 0,
            }
        )
    return out


def main() -> None:
    from socialdesk.triage import Triager, TriageSettings

    plain = Triager()
    vip = Triager(settings=TriageSettings(vip_handles=frozenset({"bigcustomer"}), vip_boost=15))
    for case in cases():
        kwargs = {k: v for k, v in case.items() if k not in {"text", "vip"}}
        triager = vip if case.get("vip") else plain
        result = triager.triage(case["text"], **kwargs).to_dict()
        print(json.dumps({"case": case, "expected": result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
