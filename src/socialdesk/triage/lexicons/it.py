"""Italian -> English gloss lexicon: "phrase = English", entries separated by "|" or new lines."""

LEXICON = """
non funziona = is not working | non funzionano = are not working
non funziona più = stopped working | ha smesso di funzionare = stopped working
non va = is not working | non carica = not loading | non si carica = not loading
non si apre = won't load | non si connette = can't connect
non riesco a connettermi = can't connect | disservizio = outage | guasto = outage | guasti = outages
interruzione = outage | blackout = outage | è giù = is down | down = down
fuori servizio = out of service | senza servizio = no service | senza segnale = no signal
niente segnale = no signal | senza internet = no internet | niente internet = no internet
senza connessione = no connection | senza corrente = no power | senza luce = no power
senza wifi = no wifi | si blocca = keeps crashing | crasha = keeps crashing | errore = error
rotto = broken | rotta = broken | rotti = broken | lento = slow | lentissimo = very slow
non è arrivato = hasn't arrived | mai arrivato = never arrived | non ho ricevuto = didn't receive
addebito = charge | addebiti = charges | addebitato = charged | addebitati = charged
mi avete addebitato = charged me | addebitato due volte = charged twice
doppio addebito = double charged | addebiti falsi = unauthorized charges
non autorizzato = unauthorized | rimborso = refund | rimborsare = refund | rimborsato = refunded
rivoglio i miei = money back | i miei soldi = my money | soldi = money | denaro = money
frode = fraud | fraudolento = fraudulent | fraudolenta = fraudulent | truffa = scam
truffato = scammed | rubato = stolen | rubata = stolen | rubati = stolen | hackerato = hacked
bloccato = blocked | bloccata = blocked | bolletta = bill | fattura = bill
fatturazione = billing | risarcimento = compensation | indennizzo = compensation
carta di credito = credit card | carta = card | conto = account | account = account
pagamento = payment | pagato = paid | ho pagato = i paid | prezzo = price | volo = flight
voli = flights | cancellato = cancelled | cancellata = cancelled | annullato = cancelled
annullata = cancelled | cancellazione = cancellation | ritardo = delay | ritardi = delays
in ritardo = late | bloccati = stuck | perso il volo = missed my flight
persa la coincidenza = missed my connection | bagaglio = luggage | bagagli = luggage
bagaglio smarrito = lost luggage | valigia = bag | valigie = bags | smarrito = lost
smarrita = lost | perso = lost | persa = lost | persi = lost | sparito = disappeared
sparita = disappeared | treno = train | treni = trains | fermi = at a standstill
aeroporto = airport | gate = gate | fuoco = fire | incendio = fire | fumo = smoke
bruciato = burned | esploso = exploded | esplosione = explosion | ferito = injured
ferita = injured | ospedale = hospital | pronto soccorso = emergency | emergenza = emergency
pericolo = danger | pericoloso = dangerous | pericolosa = dangerous | insicuro = unsafe
fuga di gas = gas leak | intossicazione alimentare = food poisoning | intossicazione = poisoning
allergia = allergy | allergico = allergic | molestie = harassment | molestato = harassed
minacciato = threatened | aggredito = assaulted | polizia = police | muffa = mould
ammuffito = mouldy | marcio = rotten | in attesa = on hold | sto ancora aspettando = still waiting
ancora in attesa = still waiting | aspetto = waiting for | aspettando = waiting for
aspettare = wait | nessuna risposta = no response | nessuno risponde = nobody responds
nessuno = nobody | giorni fa = days ago | da giorni = for days | settimane fa = weeks ago
terza volta = third time | più volte = several times | diverse volte = several times
tante volte = many times | ogni volta = every time | di nuovo = again | ancora = still
sempre = always | mai = never | continua = keeps | di continuo = constantly | aiuto = help
aiutare = help | aiutarmi = help me | aiutatemi = help me | aiutarci = help us
potete aiutarmi = can you help me | potete aiutarci = can you help us
potete aiutare = can you help | ho bisogno di aiuto = need help | per favore = please
per piacere = please | perfavore = please | urgente = urgent | urgentemente = urgently
immediatamente = immediately | subito = immediately | sistemare = fix | sistemate = please fix
risolvere = resolve | risolto = resolved | risolvete = please fix | come = how | cosa = what
che cosa = what | quando = when | dove = where | perché = why | come mai = why | quanto = how much
quanto tempo = how long | quale = which | chi = who | posso = can i | si può = can i
potete = can you | potreste = could you | c'è = is there | è possibile = is it possible
qualcuno = anyone | reclamo = complaint | reclami = complaints | lamentela = complaint
pessimo = terrible | pessima = terrible | pessimi = terrible | orribile = horrible
terribile = terrible | schifo = disgusting | che schifo = disgusting | brutto = bad | cattivo = bad
peggiore = worst | il peggiore = the worst | vergogna = shame | una vergogna = disgrace
inaccettabile = unacceptable | ridicolo = ridiculous | deluso = disappointed | delusa = disappointed
delusione = disappointment | stufo = fed up | basta = enough | arrabbiato = angry
furioso = furious | fastidioso = annoying | maleducato = rude | maleducati = rude
incompetenti = incompetent | disastro = disaster | un disastro = a mess | casino = mess
problema = problem | problemi = problems | scandaloso = outrageous | assurdo = absurd
grazie = thanks | grazie mille = thank you so much | ottimo = great | ottima = great
fantastico = amazing | eccellente = excellent | perfetto = perfect | meraviglioso = wonderful
adoro = love | amo = love | migliore = best | buono = good | buona = good | bene = well
felice = happy | contento = happy | contenta = happy | benedizione = blessing
consiglio = recommend | complimenti = congratulations | comodo = handy | si è superato = stepped up
dovreste = you should | suggerimento = suggestion | aggiungete = please add
sarebbe bello = would be nice | sarebbe fantastico = would be great | vorrei = i would like
molto = very | davvero = really | veramente = really | troppo = too | totalmente = totally
del tutto = totally | assolutamente = absolutely | così = so | per niente = not at all
niente = nothing | non = not | né = nor | senza = without | nessun = no | nessuna = no | ciao = hi
salve = hi | ehi = hey | sì = yes | il = the | lo = the | la = the | i = the | gli = the | le = the
l' = the | un = a | una = a | un' = a | di = of | del = of the | della = of the | in = in
nel = in the | con = with | per = for | su = on | a = to | e = and | o = or | ma = but | mio = my
mia = my | miei = my | mie = my | vostro = your | vostra = your | voi = you | io = i | è = is
sono = are | era = was | ho = have | ha = has | avete = have | oggi = today | ieri = yesterday
giorni = days | ore = hours | minuti = minutes | telefono = phone | cellulare = phone
email = email | ordine = order | ordini = orders | pacco = package | pacchi = packages
consegna = delivery | corriere = courier | fattorino = courier | indirizzo = address
servizio clienti = customer service | assistenza = support | app = app | sito = site
password = password | aggiornamento = update | accedere = log in
non riesco ad accedere = can't log in | funziona = works | funzionano = work | finalmente = finally
nuovo = new | nuova = new | nuovi = new | stamattina = this morning | stamani = this morning
domani = tomorrow | stasera = tonight | ieri sera = last night | da = since | ho chiamato = i called
chiamato = called | chiamare = call | chiamata = call | sistemato = fixed | riparato = fixed
detto = said | dicono = they say | scritto = wrote | messaggio = message | messaggi = messages
risposta = answer | risposto = answered | comprato = bought | ordinato = ordered | inviato = sent
mandato = sent | provato = tried | voglio = i want | volevo = i wanted | due = two | tre = three
quattro = four | cinque = five | dieci = ten | volte = times | settimana = week
questa settimana = this week | mese = month | anno = year | ora = now | già = already
questo = this | questa = this | quello = that | tutto = everything | tutti = all | altro = another
altra = another | stesso = same | barzelletta = joke | scherzo = joke | cliente = customer
clienti = customers | azienda = company | negozio = store | prodotto = product | persona = person
gente = people | dipendente = employee | operatore = agent | personale = staff | sbagliato = wrong
impossibile = impossible | possibile = possible | senza il mio permesso = without my permission
senza permesso = without permission | prelevato = withdrawn | fumare = smoking
preso fuoco = caught fire | cambio = change | cambiare = change | lavoro = work | casa = home
coincidenza = connection | si chiude = keeps crashing | si chiude da sola = keeps crashing
si chiude da solo = keeps crashing | sono bloccato = i am stuck | sono bloccata = i am stuck
bloccato in = stuck in | bloccata in = stuck in | account ... bloccato = account locked out
conto ... bloccato = account locked out | carta ... bloccata = card locked out
"""
