"""Wordings for the incident replay: outage reports in several languages, and the decoys.

Written for `incidents_replay.py`; none of it is in the detector, which only knows generic problem
words (domain/incidents/signature.py). `{brand}` is an account handle without ``@``, `{place}` a place,
`{service}` what stopped working.
"""

from __future__ import annotations

from typing import Final

SERVICES: Final = (
    ("comcastcares", "internet"),
    ("comcastcares", "cable"),
    ("VerizonSupport", "signal"),
    ("TMobileHelp", "data"),
    ("sprintcare", "service"),
    ("Ask_Spectrum", "wifi"),
    ("AppleSupport", "icloud"),
    ("AmazonHelp", "prime video"),
    ("XboxSupport", "xbox live"),
    ("AskPlayStation", "psn"),
    ("Uber_Support", "app"),
    ("SpotifyCares", "spotify"),
    ("hulu_support", "streaming"),
    ("BofA_Help", "online banking"),
    ("CoxHelp", "internet"),
    ("VirginMedia", "broadband"),
)

# (place, language of the people there besides English)
PLACES: Final = (
    ("Leeds", "en"),
    ("Manchester", "en"),
    ("Glasgow", "en"),
    ("Austin", "en"),
    ("Denver", "en"),
    ("Brooklyn", "en"),
    ("Toronto", "en"),
    ("Phoenix", "en"),
    ("Madrid", "es"),
    ("Sevilla", "es"),
    ("Lyon", "fr"),
    ("Marseille", "fr"),
    ("Hamburg", "de"),
    ("Köln", "de"),
    ("Porto Alegre", "pt"),
    ("Curitiba", "pt"),
)

NETWORKS: Final = ("x", "mastodon", "bluesky", "reddit", "facebook")

# Reports that name the place.
REPORTS: Final = {
    "en": (
        "@{brand} is the {service} down in {place}? nothing is loading",
        "{service} down in {place} again. @{brand} what is going on",
        "no {service} at all in {place} for the last half hour, @{brand} sort it out",
        "anyone else in {place} with {service} not working? #{brand}",
        "@{brand} {service} outage in {place}?? been offline since lunch",
        "{place} {service} completely dead right now @{brand}",
        "Is there an outage in {place}? My {service} keeps dropping @{brand}",
        "@{brand} your {service} is broken across {place}, whole street is offline",
        "{service} not working in #{place} 😡 @{brand}",
        "working from home in {place} and the {service} just died. thanks @{brand}",
        "can't connect to {service} anywhere in {place}, is it an outage @{brand}?",
        "@{brand} status page says all good but {place} {service} is down",
        "Down again in {place}. @{brand} {service} has been failing all morning",
        "my {service} stopped working, neighbours in {place} too. @{brand}",
    ),
    "es": (
        "@{brand} ¿se cayó el {service} en {place}? no funciona nada",
        "Sin {service} en {place} desde hace una hora @{brand}",
        "{place}: {service} caído otra vez, @{brand} qué pasa",
    ),
    "fr": (
        "@{brand} panne de {service} à {place} ? rien ne marche",
        "{service} en panne sur tout {place} depuis ce matin @{brand}",
        "Toujours pas de connexion à {place}, {service} ne fonctionne pas @{brand}",
    ),
    "de": (
        "@{brand} Störung in {place}? {service} funktioniert nicht",
        "{service} in {place} seit einer Stunde ausgefallen @{brand}",
        "Kein Internet in {place}, {service} geht nicht @{brand}",
    ),
    "pt": (
        "@{brand} {service} caiu em {place}? não funciona nada",
        "Sem {service} em {place} desde cedo @{brand}",
        "{place} com {service} fora do ar, @{brand} alguma previsão?",
    ),
}
# Reports that do not name the place (about one in ten).
PLACELESS: Final = (
    "@{brand} is {service} down?? nothing works",
    "{service} outage again @{brand}? unbelievable",
    "@{brand} my {service} just went offline, what's happening",
)
# Follow-ups that report nothing but belong to the incident.
FOLLOW_UPS: Final = (
    "@{brand} any update for {place}? ETA?",
    "@{brand} how long until {place} is back? {service}",
)

VIRAL_JOKES: Final = (
    "me: I'll sleep early tonight\nalso me at 3am: one more episode @hulu_support 😂",
    "my wifi is so slow my emails arrive by carrier pigeon lol @comcastcares",
    "if my internet was a person it would be that friend who says 'omw' and is still in bed 😂",
    "roses are red, violets are blue, @AppleSupport autocorrect changed my i to A [?] lmao",
)
VIRAL_PREFIXES: Final = ("", "", "", "RT ", "lmao ", "😂😂 ")

ANGRY_CUSTOMER: Final = (
    "@AmazonHelp order {order} STILL not delivered, this is broken",
    "@AmazonHelp day 6 waiting for order {order}. where is it??",
    "@AmazonHelp refund my order {order} now, your tracking is useless and broken",
    "@AmazonHelp I want a supervisor about order {order}. problem still not fixed",
    "still waiting @AmazonHelp order {order} failed delivery AGAIN",
)

LAUNCH: Final = {
    "brand": "AppleSupport",
    "product": "iPhone X",
    "posts": (
        "Just got the new {product}!! the screen is unreal 😍 @{brand}",
        "{product} day! zero issues setting it up, love it @{brand}",
        "Face ID on the {product} is magic. no problems at all so far",
        "picked up my {product} this morning, best phone I've owned",
        "the {product} camera is insane 🔥 @{brand}",
        "queued for 3 hours for the {product} and it was worth it",
        "{product} unboxing done, migration took 10 minutes, smooth as butter @{brand}",
    ),
}
