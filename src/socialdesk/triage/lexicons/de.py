"""German -> English gloss lexicon: "phrase = English", entries separated by "|" or new lines."""

LEXICON = """
funktioniert nicht = is not working | funktionieren nicht = are not working
geht nicht = is not working | funktioniert nicht mehr = stopped working
geht nicht mehr = stopped working | klappt nicht = is not working | lädt nicht = not loading
laden nicht = not loading | startet nicht = won't load | öffnet nicht = won't load
ausgefallen = is down | fällt aus = is down | ist down = is down | sind down = are down
down = down | ausfall = outage | störung = outage | störungen = outages | netzausfall = outage
stromausfall = no power | kein internet = no internet | kein netz = no signal
kein empfang = no signal | keine verbindung = no connection | kein wlan = no wifi
kein strom = no power | kein service = no service | verbindung = connection
keine verbindung herstellen = can't connect | verbindet nicht = can't connect | abgestürzt = crashed
stürzt ab = keeps crashing | stürzt ständig ab = keeps crashing | hängt = keeps crashing
fehler = error | kaputt = broken | defekt = broken | langsam = slow
nicht angekommen = hasn't arrived | nie angekommen = never arrived | nicht bekommen = didn't receive
nicht erhalten = didn't receive | noch nicht = not yet | kommt nicht = hasn't arrived
abgebucht = charged | belastet = charged | doppelt abgebucht = charged twice
zweimal abgebucht = charged twice | doppelt belastet = double charged | abbuchung = charge
abbuchungen = charges | falsche abbuchungen = unauthorized charges | unberechtigt = unauthorized
zu viel berechnet = overcharged | rückerstattung = refund | erstattung = refund | erstatten = refund
zurückerstattet = refunded | zurückerstatten = refund | geld zurück = money back
mein geld = my money | geld = money | betrug = fraud | betrügerisch = fraudulent | abzocke = scam
betrüger = scammers | gestohlen = stolen | geklaut = stolen | gehackt = hacked
gesperrt = locked out | rechnung = bill | abrechnung = billing | entschädigung = compensation
kreditkarte = credit card | karte = card | konto = account | zahlung = payment | bezahlt = paid
preis = price | kosten = costs | flug = flight | flüge = flights | storniert = cancelled
gestrichen = cancelled | annulliert = cancelled | abgesagt = cancelled | verspätung = delay
verspätet = delayed | verspätungen = delays | zu spät = late | spät = late | gestrandet = stranded
festsitzen = stuck | sitze fest = stuck | anschluss verpasst = missed connection
flug verpasst = missed my flight | gepäck = luggage | koffer = bag
fehlendes gepäck = missing luggage | gepäck verloren = lost luggage | verloren = lost
verschwunden = disappeared | vermisst = missing | zug = train | züge = trains
stehen still = at a standstill | flughafen = airport | gate = gate | feuer = fire | brand = fire
rauch = smoke | verbrannt = burned | explodiert = exploded | explosion = explosion
verletzt = injured | verletzung = injury | krankenhaus = hospital | notfall = emergency
notaufnahme = emergency | gefahr = danger | gefährlich = dangerous | unsicher = unsafe
gasleck = gas leak | gasgeruch = gas leak | lebensmittelvergiftung = food poisoning
vergiftung = poisoning | allergie = allergy | allergisch = allergic | belästigt = harassed
belästigung = harassment | bedroht = threatened | angegriffen = assaulted | polizei = police
schimmel = mould | verschimmelt = mouldy | gift = poison | warteschleife = on hold
in der warteschleife = on hold | warte immer noch = still waiting | warte seit = waiting for
immer noch = still | warten = waiting for | warte = waiting for | wartet = waiting for
keine antwort = no response | keine reaktion = no response | niemand antwortet = nobody responds
niemand hilft = nobody helps | niemand = nobody | vor tagen = days ago | seit tagen = for days
vor wochen = weeks ago | seit wochen = for weeks | zum dritten mal = third time
mehrmals = several times | mehrfach = multiple times | oft = often | zigmal = many times
schon wieder = again | wieder = again | jedes mal = every time | ständig = constantly
immer = always | nie = never | niemals = never | noch = still | seit = since | hilfe = help
helfen = help | helft = help | hilft = helps | helft mir = help me | hilf mir = help me
könnt ihr helfen = can you help | können sie helfen = can you help
könnt ihr mir helfen = can you help me | können sie mir helfen = can you help me
brauche hilfe = need help | bitte = please | bitte helft = please help | dringend = urgent
sofort = immediately | behebt = please fix | beheben = fix | behoben = fixed | reparieren = fix
lösen = resolve | gelöst = resolved | kümmert = take care | wie = how | was = what | wann = when
wo = where | warum = why | wieso = why | weshalb = why | wie lange = how long | wie viel = how much
welche = which | wer = who | kann ich = can i | kann man = can i | können = can | könnt = can you
kann = can | gibt es = is there | jemand = anyone | ist es möglich = is it possible
beschwerde = complaint | reklamation = complaint | beschweren = complain | furchtbar = terrible
schrecklich = terrible | miserabel = terrible | mies = lousy | scheiße = shit | schlecht = bad
schlechter = worse | schlechteste = worst | am schlechtesten = worst | katastrophe = disaster
inakzeptabel = unacceptable | nicht akzeptabel = not acceptable | lächerlich = ridiculous
frechheit = outrageous | enttäuscht = disappointed | enttäuschung = disappointment | sauer = angry
wütend = angry | genervt = annoyed | nervig = annoying | ärgerlich = annoying
mir reicht's = fed up | unhöflich = rude | inkompetent = incompetent | chaos = mess
ekelhaft = disgusting | eklig = disgusting | problem = problem | probleme = problems
schockierend = shocking | unverschämt = outrageous | danke = thanks
vielen dank = thank you so much | danke schön = thank you | dankeschön = thank you | toll = great
super = great | großartig = great | klasse = great | prima = great | ausgezeichnet = excellent
hervorragend = excellent | perfekt = perfect | wunderbar = wonderful | liebe = love | lieben = love
beste = best | besten = best | gut = good | gute = good | guter = good | froh = glad
glücklich = happy | segen = blessing | empfehlen = recommend | lob = credit | hilfreich = helpful
hilfsbereit = helpful | ihr solltet = you should | sie sollten = you should | vorschlag = suggestion
bitte fügt = please add | wäre schön = would be nice | wäre toll = would be great
wäre super = would be great | wünsche = wish | sehr = very | echt = really | wirklich = really
total = totally | extrem = extremely | völlig = totally | absolut = absolutely | so = so | zu = too
ganz = quite | überhaupt nicht = not at all | gar nicht = not at all | nicht = not | kein = no
keine = no | keinen = no | nichts = nothing | ohne = without | weder = neither | hallo = hi
hey = hey | ja = yes | nein = no | ok = ok | der = the | die = the | das = the | den = the
dem = the | des = the | ein = a | eine = a | einen = a | und = and | oder = or | aber = but
mit = with | für = for | von = from | zu = to | auf = on | in = in | im = in the | bei = at
nach = after | ich = i | mein = my | meine = my | meinen = my | meinem = my | ihr = you
euer = your | eure = your | euren = your | eurem = your | sie = they | wir = we | uns = us
mir = me | mich = me | ist = is | sind = are | war = was | habe = have | hat = has | haben = have
heute = today | gestern = yesterday | tage = days | tagen = days | stunden = hours
minuten = minutes | handy = phone | telefon = phone | e-mail = email | mail = email
bestellung = order | paket = package | pakete = packages | lieferung = delivery
zustellung = delivery | versand = shipping | kundenservice = customer service
kundendienst = customer service | hotline = support line | support = support | app = app
seite = site | webseite = website | passwort = password | einloggen = log in | anmelden = log in
update = update | aktualisierung = update | funktioniert = works | funktionieren = work
klappt = works | endlich = finally | neu = new | neue = new | neuen = new | neuer = new
lädt ... nicht = not loading | laden ... nicht = not loading | läuft ... nicht = is not working
geht ... nicht = is not working | funktioniert ... nicht = is not working
funktionieren ... nicht = are not working | klappt ... nicht = is not working
startet ... nicht = won't load | öffnet ... nicht = won't load | kommt ... nicht = hasn't arrived
kam ... nicht = never arrived | sitze ... fest = stuck | sitzen ... fest = stuck
hängt ... fest = stuck | fällt ... aus = is down | fiel ... aus = went down
geht ... nicht mehr = stopped working | heute morgen = this morning | heute früh = this morning
morgen = tomorrow | heute abend = tonight | gestern abend = last night | angerufen = called
anrufen = call | anruf = call | repariert = fixed | gelöst = solved | gesagt = said | sagte = said
sagen = say | geschrieben = wrote | nachricht = message | nachrichten = messages | antwort = answer
geantwortet = answered | gekauft = bought | bestellt = ordered | geschickt = sent | gesendet = sent
versucht = tried | will = want | möchte = would like | zwei = two | drei = three | vier = four
fünf = five | zehn = ten | dreimal = three times | zweimal = twice | mal = times | woche = week
diese woche = this week | monat = month | jahr = year | stunde = hour | minute = minute
jetzt = now | schon = already | das = this | dies = this | alles = everything | alle = all
andere = other | anderen = other | gleiche = same | witz = joke | ein witz = a joke
kunde = customer | kunden = customers | firma = company | unternehmen = company | laden = store
geschäft = store | produkt = product | person = person | leute = people | mitarbeiter = employee
personal = staff | falsch = wrong | unmöglich = impossible | möglich = possible
ohne meine erlaubnis = without my permission | ohne erlaubnis = without permission
abgehoben = withdrawn | qualmen = smoking | qualmt = smoking | feuer gefangen = caught fire
brennt = burning | ändern = change | ändere = change | arbeite = work | zu hause = home
hatte = had | verspätung hatte = was delayed | berechnet = charged
zweimal berechnet = charged twice | doppelt berechnet = charged twice
stürzt ... ab = keeps crashing | jedes mal = every time | hänge ... fest = stuck
"""
