"""French -> English gloss lexicon: "phrase = English", entries separated by "|" or new lines."""

LEXICON = """
ne fonctionne pas = is not working | ne fonctionnent pas = are not working
ne marche pas = is not working | ne marchent pas = are not working
ne marche plus = stopped working | ne fonctionne plus = stopped working
marche pas = is not working | fonctionne pas = is not working | de ne pas marcher = not to work
ne charge pas = not loading | ne se charge pas = not loading | ne s'ouvre pas = won't load
en panne = is down | panne = outage | pannes = outages | coupure = outage
coupure de courant = no power | est hors service = is down | hors service = out of service
hors ligne = offline | plus de réseau = no signal | pas de réseau = no signal
pas d'internet = no internet | plus d'internet = no internet | pas de connexion = no connection
pas de service = no service | pas de wifi = no wifi | pas de courant = no power
impossible de me connecter = can't connect | impossible de se connecter = can't connect
se connecter = connect | plante = keeps crashing | bug = bug | erreur = error | cassé = broken
cassés = broken | cassée = broken | lent = slow | très lent = very slow | pas reçu = didn't receive
jamais reçu = never received | toujours pas reçu = still not received | pas arrivé = hasn't arrived
débité = debited | débitée = debited | prélevé = charged | facturé = billed
facturé deux fois = charged twice | débité deux fois = charged twice
prélevé deux fois = charged twice | double prélèvement = double charged | frais = charges
faux frais = unauthorized charges | non autorisé = unauthorized | remboursement = refund
rembourser = refund | remboursé = refunded | me faire rembourser = refund
récupérer mon argent = money back | mon argent = my money | argent = money | fraude = fraud
frauduleux = fraudulent | frauduleuse = fraudulent | arnaque = scam | escroquerie = scam
volé = stolen | volés = stolen | volée = stolen | piraté = hacked | bloqué = locked out
bloquée = locked out | facture = bill | facturation = billing | indemnisation = compensation
dédommagement = compensation | carte bancaire = card | carte de crédit = credit card | carte = card
compte = account | paiement = payment | payé = paid | prix = price | vol = flight | vols = flights
annulé = cancelled | annulée = cancelled | annulés = cancelled | annulation = cancellation
retard = delay | retards = delays | en retard = late | retardé = delayed | bloqué à = stuck at
coincé = stuck | coincés = stuck | correspondance ratée = missed connection
raté mon vol = missed my flight | bagage = luggage | bagages = luggage | bagage perdu = lost luggage
valise = bag | valises = bags | perdu = lost | perdue = lost | perdus = lost | égaré = lost
train = train | trains = trains | à l'arrêt = at a standstill | aéroport = airport
porte d'embarquement = gate | feu = fire | incendie = fire | fumée = smoke | brûlé = burned
explosé = exploded | explosion = explosion | blessé = injured | blessée = injured
blessure = injury | hôpital = hospital | urgences = emergency | urgence = emergency
danger = danger | dangereux = dangerous | dangereuse = dangerous | fuite de gaz = gas leak
intoxication alimentaire = food poisoning | intoxication = poisoning | allergie = allergy
allergique = allergic | harcèlement = harassment | harcelé = harassed | menacé = threatened
agressé = assaulted | police = police | moisissure = mould | moisi = mouldy | pourri = rotten
en attente = on hold | j'attends toujours = still waiting | attends toujours = still waiting
j'attends = waiting for | attends = waiting for | attendre = waiting for
aucune réponse = no response | pas de réponse = no response | sans réponse = no response
personne ne répond = nobody responds | personne = nobody | il y a des jours = days ago
depuis des jours = for days | depuis des semaines = for weeks | troisième fois = third time
plusieurs fois = several times | plein de fois = many times | à chaque fois = every time
chaque fois = every time | encore = again | de nouveau = again | toujours = still | jamais = never
sans arrêt = constantly | depuis = since | aide = help | aider = help | aidez-moi = help me
aidez = help | m'aider = help me | nous aider = help us | à l'aide = help
pouvez-vous m'aider = can you help me | vous pouvez m'aider = can you help me
besoin d'aide = need help | s'il vous plaît = please | s'il te plaît = please | svp = please
stp = please | merci de = please | urgent = urgent | immédiatement = immediately | réparer = fix
régler = fix | réglé = fixed | résoudre = resolve | résolu = resolved | comment = how | quoi = what
qu'est-ce = what | quand = when | où = where | pourquoi = why | combien = how much
combien de temps = how long | quel = which | quelle = which | qui = who | est-ce que = do
puis-je = can i | je peux = can i | peut-on = can i | pouvez-vous = can you
pourriez-vous = could you | y a-t-il = is there | est-il possible = is it possible
quelqu'un = anyone | réclamation = complaint | plainte = complaint | horrible = horrible
horribles = horrible | nul = terrible | nulle = terrible | lamentable = terrible | affreux = awful
mauvais = bad | mauvaise = bad | pire = worst | catastrophe = disaster | inacceptable = unacceptable
ridicule = ridiculous | honteux = shameful | une honte = disgrace | déçu = disappointed
déçue = disappointed | déception = disappointment | marre = fed up | j'en ai marre = fed up
énervé = annoyed | agaçant = annoying | en colère = angry | furieux = furious | impoli = rude
impolis = rude | incompétent = incompetent | incompétents = incompetent | bazar = mess
dégoûtant = disgusting | problème = problem | problèmes = problems | choquant = shocking
scandaleux = outrageous | merci = thanks | merci beaucoup = thank you so much | génial = great
super = great | excellent = excellent | parfait = perfect | formidable = wonderful
magnifique = wonderful | adore = love | j'adore = i love | aime = love | meilleur = best
bon = good | bonne = good | bien = well | content = happy | contente = happy | heureux = happy
bénédiction = blessing | recommande = recommend | bravo = congratulations | pratique = handy
vous devriez = you should | suggestion = suggestion | ajoutez = please add
ce serait bien = would be nice | ce serait génial = would be great | j'aimerais = i wish
très = very | vraiment = really | trop = too | totalement = totally | complètement = completely
absolument = absolutely | tellement = so | franchement = honestly | du tout = at all
rien = nothing | ne = | n' = | pas = not | plus = anymore | aucun = no | aucune = no
sans = without | ni = nor | bonjour = hi | salut = hi | oui = yes | non = no | le = the | la = the
les = the | l' = the | un = a | une = a | des = some | de = of | d' = of | du = of the | et = and
ou = or | mais = but | avec = with | pour = for | dans = in | sur = on | à = at | au = at the
mon = my | ma = my | mes = my | votre = your | vos = your | vous = you | je = i | j' = i | on = we
nous = we | il = it | elle = she | est = is | sont = are | c'est = it is | était = was | ai = have
a = has | avez = have | aujourd'hui = today | hier = yesterday | jours = days | heures = hours
minutes = minutes | téléphone = phone | portable = phone | e-mail = email | mail = email
commande = order | colis = package | livraison = delivery | livreur = courier | adresse = address
service client = customer service | service = service | support = support | appli = app
application = app | site = site | mot de passe = password | mise à jour = update
fonctionne = works | marche = works | enfin = finally | nouveau = new | nouvelle = new
nouvelles = new | réussi = well done | réussie = well done | pub = ad | pb = problem
ce matin = this morning | demain = tomorrow | ce soir = tonight | hier soir = last night
n'ai plus = have no | je n'ai plus = i have no | n'ai pas de = have no
je n'ai pas reçu = i didn't receive | appelé = called | appeler = call | appel = call
réparé = fixed | résolu = solved | dit = said | disent = say | écrit = wrote | message = message
réponse = answer | répondu = answered | acheté = bought | commandé = ordered | envoyé = sent
essayé = tried | veux = want | voudrais = would like | deux = two | trois = three | quatre = four
cinq = five | dix = ten | fois = times | semaine = week | cette semaine = this week | mois = month
an = year | année = year | heure = hour | maintenant = now | déjà = already | ceci = this
cela = that | ça = that | ce = this | cette = this | tout = everything | tous = all | autre = other
même = same | blague = joke | une blague = a joke | client = customer | clients = customers
entreprise = company | société = company | magasin = store | boutique = store | produit = product
gens = people | employé = employee | conseiller = agent | personnel = staff | faux = wrong
impossible = impossible | possible = possible | sans mon autorisation = without my permission
sans autorisation = without permission | retiré = withdrawn | prélevé = charged | fumer = smoking
prendre feu = catch fire | pris feu = caught fire | change = change | changer = change
télétravaille = work from home | correspondance = connection | raté = missed
se ferme tout seul = keeps crashing | se ferme toute seule = keeps crashing
se ferme = keeps crashing
"""
