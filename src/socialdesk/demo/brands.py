"""The fictional brands of the demo traffic, with the cities where their customers post from.

Every brand, handle, city pairing and phrase here is invented for socialdesk; none comes from a data set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class City:
    """A place customers post from; outage bursts concentrate on one of them."""

    name: str
    lat: float
    lon: float
    lang: str  # the language most of its posts are written in (ISO 639-1)
    utc_offset: int  # hours, for "since 9am" in outage reports
    weight: float = 1.0  # share of the brand's customers living there


@dataclass(frozen=True)
class Brand:
    """A brand whose care team answers on social networks.

    `handles` maps a channel to the handle of the brand's own account there (without "@"); the brand only
    replies on channels it has a handle on. The fields after `handles` have defaults, so
    `Brand(key=..., name=..., handles=...)` is enough; `sector` picks the phrase banks ("isp", "airline",
    "bank", "streaming" or "general").
    """

    key: str
    name: str
    handles: Mapping[str, str] = field(hash=False)
    sector: str = "general"
    competitors: tuple[str, ...] = ()
    markets: tuple[City, ...] = ()
    weight: float = 1.0  # share of the traffic relative to the other brands

    @property
    def alias(self) -> str:
        """How people name the brand casually: "nimbus" for "Nimbus Fiber"."""
        return self.name.split()[0].lower()

    @property
    def hashtag(self) -> str:
        return "#" + "".join(self.name.split())

    @property
    def outage_tag(self) -> str:
        return "#" + self.name.split()[0] + "Down"

    @property
    def domain(self) -> str:
        """The brand's (fictional, reserved .example) web domain."""
        return "".join(self.name.split()).lower() + ".example"


LEEDS = City("Leeds", 53.8008, -1.5491, "en", 0)
MANCHESTER = City("Manchester", 53.4808, -2.2426, "en", 0)
BRISTOL = City("Bristol", 51.4545, -2.5879, "en", 0)
GLASGOW = City("Glasgow", 55.8642, -4.2518, "en", 0)
BIRMINGHAM = City("Birmingham", 52.4862, -1.8904, "en", 0)
LONDON = City("London", 51.5072, -0.1276, "en", 0, 2.0)
CARDIFF = City("Cardiff", 51.4816, -3.1791, "en", 0)
MADRID = City("Madrid", 40.4168, -3.7038, "es", 1)
BARCELONA = City("Barcelona", 41.3874, 2.1686, "es", 1)
MEXICO_CITY = City("Ciudad de México", 19.4326, -99.1332, "es", -6)
SAN_JUAN = City("San Juan", 18.4655, -66.1057, "es", -4)
PARIS = City("Paris", 48.8566, 2.3522, "fr", 1)
LYON = City("Lyon", 45.7640, 4.8357, "fr", 1)
MONTREAL = City("Montréal", 45.5019, -73.5674, "fr", -5)
BERLIN = City("Berlin", 52.5200, 13.4050, "de", 1)
MUNICH = City("München", 48.1351, 11.5820, "de", 1)
FRANKFURT = City("Frankfurt", 50.1109, 8.6821, "de", 1)
LISBON = City("Lisboa", 38.7223, -9.1393, "pt", 0)
PORTO = City("Porto", 41.1579, -8.6291, "pt", 0)
SAO_PAULO = City("São Paulo", -23.5505, -46.6333, "pt", -3)
TOKYO = City("東京", 35.6762, 139.6503, "ja", 9, 0.5)
OSAKA = City("大阪", 34.6937, 135.5023, "ja", 9, 0.3)
NEW_YORK = City("New York", 40.7128, -74.0060, "en", -5, 2.0)
BOSTON = City("Boston", 42.3601, -71.0589, "en", -5)
CHICAGO = City("Chicago", 41.8781, -87.6298, "en", -6)
MIAMI = City("Miami", 25.7617, -80.1918, "en", -5)
SEATTLE = City("Seattle", 47.6062, -122.3321, "en", -8)
AUSTIN = City("Austin", 30.2672, -97.7431, "en", -6)

#: Markets for a brand created without any.
DEFAULT_MARKETS = (LONDON, MANCHESTER, NEW_YORK, CHICAGO, MADRID, PARIS, BERLIN, LISBON, TOKYO)


def _handles(**by_channel: str) -> Mapping[str, str]:
    return MappingProxyType(by_channel)


NIMBUS = Brand(
    key="nimbus",
    name="Nimbus Fiber",
    handles=_handles(
        x="NimbusCares",
        mastodon="NimbusCares@mastodon.social",
        bluesky="nimbuscares.bsky.social",
        reddit="NimbusFiber_Care",
        review="Nimbus Fiber",
    ),
    sector="isp",
    competitors=("Fibrely", "Comet Broadband", "Lanternet"),
    markets=(LEEDS, MANCHESTER, BRISTOL, GLASGOW, BIRMINGHAM, LONDON, CARDIFF),
    weight=1.3,
)
SKYLARK = Brand(
    key="skylark",
    name="Skylark Air",
    handles=_handles(
        x="SkylarkHelp",
        mastodon="SkylarkHelp@mastodon.social",
        bluesky="help.skylarkair.example",
        review="Skylark Air",
    ),
    sector="airline",
    competitors=("Bluewing", "Aerolumo", "Peregrine Airways"),
    markets=(LONDON, MADRID, BARCELONA, PARIS, FRANKFURT, LISBON, SAO_PAULO, TOKYO, NEW_YORK, MEXICO_CITY),
    weight=1.0,
)
HARBOR = Brand(
    key="harbor",
    name="Harbor Bank",
    handles=_handles(
        x="HarborBankHelp",
        bluesky="harborbankhelp.bsky.social",
        reddit="HarborBank_Official",
        review="Harbor Bank",
    ),
    sector="bank",
    competitors=("Keystone Savings", "Tidewater Credit Union", "Mintleaf"),
    markets=(BOSTON, NEW_YORK, CHICAGO, MIAMI, SEATTLE, SAN_JUAN),
    weight=0.9,
)
KESTREL = Brand(
    key="kestrel",
    name="Kestrel Stream",
    handles=_handles(
        x="KestrelSupport",
        mastodon="KestrelSupport@mastodon.online",
        bluesky="support.kestrelstream.example",
        review="Kestrel Stream",
    ),
    sector="streaming",
    competitors=("Reelora", "Vistaplay", "Cinemoth"),
    markets=(LONDON, BERLIN, MUNICH, LYON, PARIS, MONTREAL, BARCELONA, PORTO, OSAKA, TOKYO, AUSTIN),
    weight=0.9,
)

BRANDS: tuple[Brand, ...] = (NIMBUS, SKYLARK, HARBOR, KESTREL)
