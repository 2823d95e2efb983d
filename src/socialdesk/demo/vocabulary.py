"""Phrase banks of the demo traffic: what customers and care agents write, in English.

Every phrase is written for socialdesk. Templates use `str.format` slots filled at generation time:
{b} how the post names the brand (an @-mention, the name, or the casual alias), {name}, {alias}, {tag} (the
outage hashtag), {city}, {since}, {h} (an hour), {days}, {hours}, {n}, {mins}, {nth}, {comp} (a competitor),
{first} (the customer's first name), {eta}, {domain}, {phone}, {email}, {account}, {private} (one of the
three: personal data a customer should not post publicly), {esc} (an escalation), {url} (a spam link).
Banks keyed by sector fall back to "general". Other languages live in `vocabulary_intl`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Intent = Literal["complaint", "question", "outage_report", "praise", "feedback", "spam", "other"]
INTENTS: tuple[Intent, ...] = (
    "complaint",
    "question",
    "outage_report",
    "praise",
    "feedback",
    "spam",
    "other",
)

Bank = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class LanguageBank:
    """What customers and agents write in one language. Sector-keyed banks fall back to "general"."""

    lang: str
    complaint: Bank
    question: Bank
    outage: Bank
    praise: Bank
    feedback: Bank
    other: tuple[str, ...]
    frames: Bank  # intent -> frames around a core sentence: "{b} {core}"
    escalations: tuple[str, ...]
    since: tuple[str, ...]
    followups: Bank  # dm_sent, private, still_broken, thanks, question
    replies: (
        Bank  # apology_dm, outage_ack, answer, thanks, feedback, dm_received, delete_private, escalate...
    )
    promises: tuple[str, ...]
    greetings: tuple[str, ...]
    spam: tuple[str, ...] = ()
    competitor: tuple[str, ...] = ()
    emoji: Bank = field(default_factory=dict)

    def pick(self, bank: Bank, sector: str) -> tuple[str, ...]:
        return bank.get(sector) or bank["general"]


EMOJI: Bank = {
    "complaint": ("😡", "🙄", "😤", "💀", "😩", "🤬", "😒", "🤡"),
    "question": ("🤔", "🙏", "👀", "❓"),
    "outage_report": ("😫", "🚫", "📉", "😭", "🙃"),
    "praise": ("🙌", "❤️", "👏", "😍", "🎉", "💯", "✨", "🥳"),
    "feedback": ("🤷", "💡", "👍"),
    "other": ("😂", "👀", "🤷‍♀️", "☕"),
}

SECTOR_HASHTAGS: Bank = {
    "isp": ("#broadband", "#wfh", "#fibre", "#internet"),
    "airline": ("#travel", "#delayed", "#avgeek", "#flying"),
    "bank": ("#banking", "#fintech", "#money"),
    "streaming": ("#streaming", "#bingewatching", "#tvtime"),
    "general": ("#customerservice", "#fail"),
}

EN = LanguageBank(
    lang="en",
    complaint={
        "isp": (
            "my internet keeps dropping every 10 minutes",
            "paying for 500Mb and getting 12. twelve.",
            "the engineer was meant to come between 8 and 12 and never showed up",
            "been without broadband for {days} days and all I get is 'we're looking into it'",
            "why does my wifi die every single evening at 7pm",
            "you charged me a cancellation fee after I moved house. I was told there wouldn't be one",
            "the router you sent me is dead on arrival",
            "been on hold for {hours} hours trying to report a fault",
            "my bill went up again and the speed went down",
            "third time this month my connection has gone",
            "speed test says 3Mbps on a fibre plan, genuinely unusable",
            "your app says 'no issues in your area' while I have no internet",
        ),
        "airline": (
            "flight delayed {hours} hours and not a single update from the crew",
            "my bag didn't arrive in {city} and nobody at the desk can tell me where it is",
            "you cancelled my flight and the rebooking is 2 days later?!",
            "charged me twice for seat selection",
            "still waiting on my refund from {days} weeks ago",
            "the check-in page just spins forever",
            "sat on the tarmac for {mins} minutes with no aircon",
            "lost my connection in {city} because of your delay and now I'm stuck overnight",
            "booked extra legroom, got a middle seat by the toilet",
            "your 'customer service' line hangs up after 40 minutes on hold",
        ),
        "bank": (
            "my card got declined at the supermarket with money in my account",
            "the app has logged me out 5 times today and now says my account is locked",
            "a payment left my account twice and nobody can tell me why",
            "been waiting {days} days for a replacement card",
            "your fraud team froze my account and I can't pay rent",
            "transfer still pending after 3 business days",
            "why am I being charged a fee for a paper statement I never asked for",
            "the chatbot keeps sending me in circles",
            "branch closed without notice, now the nearest one is an hour away",
            "I reported a fraudulent charge {days} days ago and still no update",
        ),
        "streaming": (
            "the app crashes every time I open a show",
            "buffering every 30 seconds on a 900Mb connection",
            "you put the price up AGAIN",
            "subtitles are out of sync by like 5 seconds",
            "why did you remove the show halfway through the season",
            "got charged after I cancelled",
            "keep getting 'too many devices' when it's literally just me",
            "the TV app logs me out every day",
            "picture quality drops to potato mode every evening",
            "I can't find the download button anymore after the update",
        ),
        "general": (
            "your service has been terrible lately",
            "nobody answers the phone or the emails",
            "I've been waiting {days} days for a reply",
            "charged twice and no refund",
            "the app keeps crashing",
        ),
    },
    question={
        "isp": (
            "how do I change my wifi password?",
            "can I upgrade to the 1Gb plan without starting a new contract?",
            "is fibre available on my street yet?",
            "do you do a social tariff?",
            "what's the setting to turn off the 5GHz band on the new hub?",
            "if I move house next month can I take my contract with me?",
            "is there a way to see my data usage in the app?",
            "will there be any compensation for last week's outage?",
        ),
        "airline": (
            "can I bring a guitar as cabin baggage?",
            "what's the baggage allowance on the basic fare to {city}?",
            "is my flight to {city} tomorrow still going ahead?",
            "how do I add my frequent flyer number after booking?",
            "can I change the name on a booking?",
            "do you serve vegan meals on short-haul?",
            "is the lounge in {city} open for early flights?",
            "how early do I need to check in for an international flight?",
        ),
        "bank": (
            "how do I set up a standing order in the app?",
            "is there a fee for using my card abroad?",
            "how long does a new card take to arrive?",
            "can I open a joint account online?",
            "what time do transfers go through on a Saturday?",
            "how do I raise my contactless limit?",
            "is the branch on Main St open on Saturdays?",
        ),
        "streaming": (
            "when is season 3 coming?",
            "can I download episodes to watch on a plane?",
            "how many screens does the standard plan include?",
            "is there a student discount?",
            "how do I remove a device from my account?",
            "will the new documentary be available in {city}?",
            "does the basic plan have ads now?",
        ),
        "general": (
            "how do I contact someone about my account?",
            "what are your opening hours?",
            "is there a number I can call?",
        ),
    },
    outage={
        "isp": (
            "no internet in {city} {since}",
            "is {alias} down in {city}? nothing loading",
            "wifi dead again in {city}. everything was fine {since}",
            "anyone else in {city} with no broadband?",
            "router light flashing red, whole street is offline in {city}",
            "internet gone in {city} right in the middle of a work call",
            "is there an outage in {city}? lost connection {since}",
            "total outage here in {city}, mobile data is the only thing working",
        ),
        "airline": (
            "check-in systems down at {city} airport, queue out the door",
            "is the {name} app down? can't load my boarding pass",
            "website won't let anyone check in. {city} desk says systems are down",
            "all {alias} flights out of {city} showing delayed, what's going on?",
            "the booking site has been down {since}",
        ),
        "bank": (
            "is the {name} app down? can't log in {since}",
            "cards not working anywhere in {city}",
            "online banking down again? error 503 {since}",
            "ATMs in {city} all out of service",
            "can't make any payments {since}, anyone else?",
        ),
        "streaming": (
            "is {alias} down? every show says 'something went wrong'",
            "{name} not loading at all in {city}",
            "error code 5003 on every device {since}",
            "the app is down right in the middle of the finale 😭",
            "anyone else's {alias} not working? {city} here",
        ),
        "general": ("is {name} down?", "nothing is working {since}"),
    },
    praise={
        "isp": (
            "engineer fixed my line in 20 minutes, absolute legend",
            "finally moved to fibre and the speed is unreal",
            "the support person on chat sorted everything in 5 minutes",
            "first time in years I've had an issue fixed on the first call",
        ),
        "airline": (
            "crew on the flight to {city} were brilliant with my toddler",
            "landed 20 minutes early, smoothest flight I've had in ages",
            "lost my phone on board and you actually got it back to me",
            "upgraded at the gate for my birthday, thank you!!",
        ),
        "bank": (
            "fraud team caught a dodgy payment before I even noticed",
            "the new app is so much better",
            "set up my account in 10 minutes, no branch visit needed",
            "the staff at the {city} branch were so patient with my mum",
        ),
        "streaming": (
            "the new season is incredible, well worth the wait",
            "the download feature saved my 10 hour flight",
            "support refunded the double charge in minutes",
            "love the new recommendations, found three shows I'd never heard of",
        ),
        "general": (
            "great service today, thank you",
            "quick and friendly help from the team",
            "you sorted my issue so fast, thanks!",
        ),
    },
    feedback={
        "isp": (
            "would be great if the app told me when an engineer is on the way",
            "please add a way to schedule wifi downtime for the kids",
            "the new hub looks nice but the range is worse than the old one",
        ),
        "airline": (
            "the app should let you pick a seat for all legs at once",
            "would love more plant-based options on board",
            "the new boarding process by zones is actually much faster",
        ),
        "bank": (
            "please add dark mode to the app",
            "would be nice to see pending transactions in the export",
            "the new spending categories are handy but 'misc' is doing a lot of work",
        ),
        "streaming": (
            "please let us hide shows we've already watched",
            "the autoplay previews are so annoying, let me turn them off",
            "a 'skip recap' button would be nice",
        ),
        "general": (
            "the website could be a lot clearer about fees",
            "it'd be nice to get updates by text instead of email",
        ),
    },
    other=(
        "just saw a {name} van parked outside my house",
        "the new {name} ad with the dog gets me every time",
        "job interview at {name} tomorrow, wish me luck",
        "{name} sponsoring the local football team is a nice touch",
        "my dad still calls every streaming service '{alias}'",
        "walked past the {name} office in {city}, bigger than I expected",
        "hot take: {name} is fine and people just like complaining",
        "remember when {name} had that jingle? can't get it out of my head",
    ),
    competitor=(
        "switching from {name} to {comp} next month, done with the price rises",
        "{comp} or {name}? which one is better in {city}?",
        "my neighbour is on {comp} and has never had an outage. just saying {b}",
        "left {name} for {comp} last year, best decision I made",
        "{comp} just offered me the same thing for half the price {b}, match it?",
    ),
    frames={
        "complaint": (
            "{b} {core}",
            "{core} {b}",
            "hey {b} {core}",
            "{b} {core}. {esc}",
            "{core}. {esc} {b}",
            "{core}. thanks for nothing {b}",
            "{b} seriously? {core}",
            "so {b} {core}",
        ),
        "question": (
            "{b} {core}",
            "hi {b}, {core}",
            "{core} {b}",
            "quick question {b}: {core}",
            "{b} {core} thanks!",
            "{b} hello, {core}",
        ),
        "outage_report": ("{b} {core}", "{core} {b}", "{core} {tag}", "{b} {core} {tag}", "{core}"),
        "praise": (
            "{b} {core}",
            "{core} {b}",
            "shoutout to {b}, {core}",
            "{core}. well done {b}!",
            "credit where it's due {b}, {core}",
        ),
        "feedback": ("{b} {core}", "{core} {b}", "suggestion for {b}: {core}", "{b} idea: {core}"),
        "other": ("{core}", "{core}", "{b} {core}"),
    },
    escalations=(
        "this is the {nth} time I've had to chase this",
        "been on hold for {hours} hours",
        "fix it or I'm cancelling",
        "absolutely ridiculous",
        "nobody ever answers the phone",
        "worst customer service ever",
        "I want a refund",
        "do better",
        "sort it out",
    ),
    since=("since {h}", "since this morning", "for {hours} hours now", "since about {h}", "all day"),
    followups={
        "dm_sent": (
            "done, DM sent",
            "sent you a DM 👍",
            "DM'd you",
            "ok just messaged you",
            "check your DMs",
        ),
        "private": (
            "my account number is {account}, can someone just call me on {phone}",
            "{phone} is my number, please call",
            "here you go: {private}",
            "email me at {email} I'm not doing DMs",
            "ref is {account}, can you look now?",
        ),
        "still_broken": (
            "still not working",
            "it's been {hours} hours and still nothing",
            "DM'd you yesterday, no reply. great service 🙄",
            "that didn't work. restarted twice already",
            "why do I have to DM, just fix it",
            "same problem again this morning",
        ),
        "thanks": (
            "it's back now, thanks!",
            "that worked, cheers!",
            "sorted, thank you 🙏",
            "thanks for the quick reply",
            "all good now, appreciate it",
        ),
        "question": (
            "how long will it take?",
            "do I get a refund for the days without service?",
            "will I get an email confirmation?",
            "is there a reference number I can keep?",
        ),
    },
    replies={
        "apology_dm": (
            "Sorry to hear about this, {first}. Can you DM us your account details so we can take a look?",
            "That's not the experience we want for you, {first}. Please send us a DM and we'll check it.",
            "Hi {first}, really sorry about this. Pop us a DM with a few details and we'll get it sorted.",
            "Oh no, {first}, that's frustrating. Could you DM us so we can look into your account?",
        ),
        "outage_ack": (
            "Hi {first}, we're aware of an issue affecting customers in {city} and our engineers are on it. "
            "We expect things back to normal by {eta}. Sorry for the disruption.",
            "Sorry {first}, there's a known issue in {city} right now. Live updates at "
            "https://status.{domain} and we're aiming to fix it by {eta}.",
            "Thanks for letting us know, {first}. We've found a fault affecting {city} and the team is "
            "working on it now.",
        ),
        "answer": (
            "Hi {first}! You'll find that in the app under Settings > Account. Shout if you get stuck.",
            "Good question, {first}. Pop us a DM and we'll check what's available on your account.",
            "Hi {first}, yes you can. Full details are at https://{domain}/help, or just ask.",
            "Hey {first}, that one depends on your plan, so send us a DM and we'll confirm for you.",
        ),
        "thanks": (
            "Thanks so much {first}, we'll pass this on to the team! 💙",
            "This made our day, {first}. Thanks for sharing!",
            "Love to hear it, {first} 😊",
        ),
        "feedback": (
            "Thanks for the feedback, {first}. I've shared it with our product team.",
            "Great idea, {first}. I'll pass it on to the people who build it.",
        ),
        "dm_received": (
            "Thanks {first}, got your DM and replied there.",
            "Got it, {first}. We're looking into this now, check your DMs.",
        ),
        "delete_private": (
            "{first}, please delete that post as it has personal details in it. We've got what we need, "
            "check your DMs.",
            "For your security, {first}, please remove that post and DM us instead. We never need your "
            "details in public.",
        ),
        "escalate": (
            "Sorry it's still not sorted, {first}. I've escalated this to our technical team.",
            "I'm really sorry, {first}. I've raised this with the team and marked it urgent.",
        ),
        "glad": ("Glad we could help, {first}! 😊", "Great news, {first}. Enjoy the rest of your day!"),
        "info": (
            "Hi {first}, you'll get a confirmation email within 24 hours.",
            "Usually within 48 hours, {first}. We'll keep you posted.",
        ),
        "review_sorry": (
            "Hi {first}, thank you for your review and sorry we let you down. Please email care@{domain} "
            "with your reference and our team will put this right.",
            "We're sorry to read this, {first}. A member of our customer relations team will be in touch "
            "to look into it.",
        ),
        "review_thanks": (
            "Thank you for the lovely review, {first}! We're so glad you had a good experience.",
            "Thanks for taking the time to leave a review, {first}. We'll share it with the team!",
        ),
        "status": (
            "We're aware of an issue affecting some customers in {city}. Our team is working on a fix and "
            "we'll update here. Sorry for the disruption.",
            "Update: engineers are on site in {city}. Next update by {eta}. Live status: https://status.{domain}",
        ),
    },
    promises=(
        "I'll follow up tomorrow morning.",
        "I'll check back with you in an hour.",
        "We'll DM you an update by 5pm.",
        "I'll keep an eye on this and get back to you today.",
        "I'll call you back on Monday.",
    ),
    greetings=("Hi {first}, ", "Hey {first}! ", "", ""),
    spam=(
        "🚀 Earn $3,000 a week from home! DM me now {url}",
        "Get 10k followers for $5 👉 {url}",
        "I can recover your hacked account in 24h, message me on WhatsApp",
        "💎 crypto signals that actually work, join our group {url}",
        "FREE {name} gift card!! claim yours here {url}",
        "Hi, this is {name} support. Please verify your account at {url} to avoid suspension",
        "make money fast 💰💰💰 {url} #ad",
        "hot singles in {city} want to meet you {url}",
    ),
    emoji=EMOJI,
)

SIGNATURES = ("^AB", "^JT", "^MK", "^SR", "-Sam", "-Priya", "/DL", "~Mia")

REDDIT_TITLES: Bank = {
    "complaint": (
        "[{name}] Anyone else dealing with this?",
        "{name} is getting worse every month",
        "Rant: {name}",
    ),
    "question": ("Question about {name}", "{name} - how do I do this?", "Has anyone switched from {name}?"),
    "outage_report": ("{name} outage in {city}?", "Is {name} down for everyone?"),
    "praise": ("Credit where it's due: {name}", "Positive {name} experience for once"),
    "feedback": ("Suggestion for {name}", "What {name} should fix next"),
    "other": ("{name} discussion thread", "{name} vs {comp}: thoughts?"),
}
REDDIT_FILLERS: Bank = {
    "general": (
        "Live in {city} if that matters.",
        "Been a customer for about {n} years.",
        "Not sure if this is the right sub, sorry.",
        "Curious what others think.",
    ),
    "complaint": (
        "I've already restarted everything twice.",
        "Called support and got transferred three times.",
        "Edit: still no fix as of this morning.",
        "TL;DR: not impressed.",
        "Any advice appreciated!",
    ),
    "praise": ("Honestly didn't expect that.", "Just wanted to share something positive for once."),
}
REVIEW_TITLES: Bank = {
    "complaint": ("Avoid!", "Terrible service from {name}", "Never again", "Very disappointed with {name}"),
    "praise": ("Great service", "Five stars for {name}", "Couldn't be happier", "Brilliant"),
    "feedback": ("Mixed experience", "{name}: good but could be better", "Decent overall"),
    "question": ("Confusing process", "Not sure what to expect"),
}
REVIEW_FILLERS: Bank = {
    "complaint": (
        "Would give zero stars if I could.",
        "Called support and got transferred three times.",
        "Been with {name} for {n} years and this is how they treat loyal customers.",
        "Looking for a new provider.",
    ),
    "praise": ("Highly recommend {name}.", "Will definitely stay with {name}.", "Keep it up!"),
    "feedback": (
        "Overall fine, but there's room to improve.",
        "Been a customer for about {n} years.",
        "Would recommend {name} with a few caveats.",
    ),
}
NEWS_HEADLINES: Bank = {
    "outage_report": (
        "{name} customers in {city} report widespread outage",
        "{name} services disrupted across {city}",
        "Thousands hit as {name} suffers outage in {city}",
    ),
    "other": (
        "{name} announces price changes from next quarter",
        "{name} expands to {city}",
        "{name} ranked in customer satisfaction survey",
        "Review: is {name} still worth it?",
        "{name} names new head of customer service",
    ),
}
NEWS_SUMMARIES: Bank = {
    "outage_report": (
        "Customers in {city} say their service stopped working this morning; the company says it is "
        "investigating.",
        "A spokesperson said the company is aware of the problem and working on a fix.",
        "Readers have been sharing their experiences with us.",
    ),
    "other": (
        "The change affects customers in {city} and several other areas.",
        "Readers have been sharing their experiences with us.",
        "The company did not respond to a request for comment.",
    ),
}
NEWS_OUTLETS = (
    ("The Daily Ledger", "dailyledger.example"),
    ("Telecom Weekly", "telecomweekly.example"),
    ("Wayfarer News", "wayfarernews.example"),
    ("Consumer Watch", "consumerwatch.example"),
    ("Metro Tech", "metrotech.example"),
)
