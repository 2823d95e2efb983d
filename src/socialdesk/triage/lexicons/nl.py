"""Dutch -> English gloss lexicon: "phrase = English", entries separated by "|" or new lines."""

LEXICON = """
werkt niet = is not working | werken niet = are not working | werkt niet meer = stopped working
doet het niet = is not working | doet het niet meer = stopped working | laadt niet = not loading
laden niet = not loading | opent niet = won't load | geen verbinding = no connection
verbindt niet = can't connect | kan geen verbinding maken = can't connect | storing = outage
storingen = outages | ligt plat = is down | liggen plat = are down | plat = down | down = down
uitval = outage | stroomstoring = no power | geen internet = no internet | geen bereik = no signal
geen signaal = no signal | geen service = no service | geen wifi = no wifi | geen stroom = no power
crasht = keeps crashing | loopt vast = keeps crashing | fout = error | foutmelding = error
kapot = broken | traag = slow | heel traag = very slow | niet aangekomen = hasn't arrived
nooit aangekomen = never arrived | niet ontvangen = didn't receive | nooit gekregen = never got
afgeschreven = debited | dubbel afgeschreven = charged twice
twee keer afgeschreven = charged twice | belast = charged | kosten = charges
onterechte kosten = unauthorized charges | onterecht = unauthorized | te veel betaald = overcharged
terugbetaling = refund | terugbetalen = refund | geld terug = money back | terugkrijgen = money back
mijn geld = my money | geld = money | fraude = fraud | frauduleus = fraudulent | oplichting = scam
opgelicht = scammed | gestolen = stolen | gehackt = hacked | geblokkeerd = locked out
rekening = account | factuur = bill | facturering = billing | compensatie = compensation
schadevergoeding = compensation | creditcard = credit card | kaart = card | account = account
betaling = payment | betaald = paid | prijs = price | vlucht = flight | vluchten = flights
geannuleerd = cancelled | annulering = cancellation | vertraging = delay | vertraagd = delayed
te laat = late | gestrand = stranded | vast = stuck | aansluiting gemist = missed connection
vlucht gemist = missed my flight | bagage = luggage | koffer = bag | koffers = bags
vermiste bagage = missing luggage | bagage kwijt = lost luggage | kwijt = lost | verloren = lost
vermist = missing | vermiste = missing | verdwenen = disappeared | trein = train | treinen = trains
stilstaan = at a standstill | staan stil = at a standstill | luchthaven = airport
vliegveld = airport | gate = gate | brand = fire | vuur = fire | rook = smoke | verbrand = burned
ontploft = exploded | explosie = explosion | gewond = injured | verwond = injured | letsel = injury
ziekenhuis = hospital | noodgeval = emergency | spoed = emergency | gevaar = danger
gevaarlijk = dangerous | onveilig = unsafe | gaslek = gas leak
voedselvergiftiging = food poisoning | vergiftiging = poisoning | allergie = allergy
allergisch = allergic | intimidatie = harassment | lastiggevallen = harassed | bedreigd = threatened
aangevallen = assaulted | mishandeld = assaulted | politie = police | schimmel = mould
beschimmeld = mouldy | bedorven = rotten | in de wacht = on hold | wacht nog steeds = still waiting
nog steeds = still | wachten = waiting for | wacht = waiting for | geen reactie = no response
geen antwoord = no response | niemand reageert = nobody responds | niemand = nobody
dagen geleden = days ago | al dagen = for days | weken geleden = weeks ago | derde keer = third time
meerdere keren = several times | vaak = often | talloze keren = many times | elke keer = every time
weer = again | opnieuw = again | altijd = always | nooit = never | steeds = constantly | hulp = help
helpen = help | help = help | help me = help me | helpen jullie = can you help
kunnen jullie helpen = can you help | kunnen jullie me helpen = can you help me
kunt u helpen = can you help | hulp nodig = need help | alsjeblieft = please | alstublieft = please
graag = please | aub = please | a.u.b. = please | dringend = urgent | onmiddellijk = immediately
direct = immediately | meteen = immediately | repareren = fix | oplossen = resolve
opgelost = resolved | verholpen = fixed | los het op = please fix | hoe = how | wat = what
wanneer = when | waar = where | waarom = why | hoeveel = how much | hoe lang = how long
welke = which | wie = who | kan ik = can i | kun je = can you | kunnen = can
kunnen jullie = can you | is het mogelijk = is it possible | is er = is there | iemand = anyone
klacht = complaint | klachten = complaints | waardeloos = terrible | waardeloze = terrible
vreselijk = terrible | vreselijke = terrible | verschrikkelijk = terrible | slecht = bad
slechte = bad | slechtste = worst | schandalig = outrageous | schande = disgrace
onacceptabel = unacceptable | onaanvaardbaar = unacceptable | niet acceptabel = not acceptable
belachelijk = ridiculous | teleurgesteld = disappointed | teleurstelling = disappointment
klaar mee = fed up | boos = angry | woedend = furious | irritant = annoying | ergerlijk = annoying
onbeleefd = rude | onbeschoft = rude | incompetent = incompetent | puinhoop = mess | chaos = mess
smerig = disgusting | vies = disgusting | walgelijk = disgusting | probleem = problem
problemen = problems | schokkend = shocking | bedankt = thanks | dank je = thank you
dank u = thank you | dankjewel = thank you | dank = thanks | heel erg bedankt = thank you so much
geweldig = great | geweldige = great | top = great | super = great | uitstekend = excellent
perfect = perfect | fantastisch = amazing | prachtig = wonderful | dol op = love | hou van = love
beste = best | goed = good | goede = good | blij = happy | tevreden = happy | zegen = blessing
aanrader = recommend | handig = handy | handige = handy | behulpzaam = helpful
jullie moeten = you should | jullie zouden = you should | suggestie = suggestion
voeg toe = please add | zou fijn zijn = would be nice | zou leuk zijn = would be nice
zou geweldig zijn = would be great | zeer = very | heel = very | erg = very | echt = really
ontzettend = extremely | enorm = enormously | totaal = totally | helemaal = totally
helemaal niet = not at all | zo = so | te = too | niets = nothing | niks = nothing | niet = not
geen = no | zonder = without | noch = nor | hallo = hi | hoi = hi | hé = hey | ja = yes | nee = no
de = the | het = the | een = a | en = and | of = or | maar = but | met = with | voor = for
van = of | in = in | op = on | bij = at | naar = to | mijn = my | jullie = you | je = you | u = you
uw = your | ik = i | we = we | wij = we | ons = us | is = is | zijn = are | was = was | heb = have
heeft = has | hebben = have | vandaag = today | gisteren = yesterday | dagen = days | uur = hours
minuten = minutes | telefoon = phone | mobiel = phone | e-mail = email | mail = email
bestelling = order | pakket = package | pakketten = packages | bezorging = delivery
levering = delivery | bezorger = courier | adres = address | klantenservice = customer service
helpdesk = support | app = app | site = site | website = website | wachtwoord = password
inloggen = log in | werkt = works | werken = work | eindelijk = finally | nieuw = new | nieuwe = new
laadt ... niet = not loading | werkt ... niet = is not working | werken ... niet = are not working
doet ... niet = is not working | start ... niet = won't load | opent ... niet = won't load
komt ... niet = hasn't arrived | kwam ... niet = never arrived | zit ... vast = stuck
zitten ... vast = stuck | valt ... uit = is down | vanochtend = this morning
vanmorgen = this morning | morgen = tomorrow | vanavond = tonight | gisteravond = last night
sinds = since | gebeld = called | bellen = call | gerepareerd = fixed | gezegd = said | zeggen = say
geschreven = wrote | bericht = message | berichten = messages | antwoord = answer
geantwoord = answered | gekocht = bought | besteld = ordered | gestuurd = sent | geprobeerd = tried
wil = want | twee = two | drie = three | vier = four | vijf = five | tien = ten | keer = times
drie keer = three times | week = week | deze week = this week | maand = month | jaar = year
nu = now | al = already | dit = this | dat = that | alles = everything | alle = all | andere = other
zelfde = same | grap = joke | een grap = a joke | klant = customer | klanten = customers
bedrijf = company | winkel = store | product = product | persoon = person | mensen = people
medewerker = employee | personeel = staff | verkeerd = wrong | onmogelijk = impossible
mogelijk = possible | zonder mijn toestemming = without my permission
zonder toestemming = without permission | gehaald = withdrawn | opgenomen = withdrawn
roken = smoking | in brand = on fire | verander = change | veranderen = change | werk = work
thuis = home | aansluiting = connection | gefactureerd = billed
twee keer gefactureerd = charged twice | dubbel gefactureerd = charged twice
sluit vanzelf = keeps crashing
"""
