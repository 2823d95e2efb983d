"""Portuguese -> English gloss lexicon: "phrase = English", entries separated by "|" or new lines."""

LEXICON = """
não funciona = is not working | não está funcionando = is not working
não tá funcionando = is not working | não funcionam = are not working
parou de funcionar = stopped working | não carrega = not loading | não abre = won't load
não conecta = can't connect | não consigo conectar = can't connect | fora do ar = is down
caiu = went down | caído = down | queda = outage | queda do serviço = outage | pane = outage
apagão = outage | sem serviço = no service | sem sinal = no signal | sem internet = no internet
sem conexão = no connection | sem luz = no power | sem energia = no power | sem wifi = no wifi
sem rede = no network | instabilidade = outage | trava = keeps crashing | travando = keeps crashing
fecha sozinho = keeps crashing | erro = error | falha = failure | quebrado = broken
quebrada = broken | quebradas = broken | lento = slow | não chegou = hasn't arrived
nunca chegou = never arrived | não recebi = didn't receive | ainda não recebi = still not received
cobrança = charge | cobranças = charges | cobrado = charged | cobraram = charged
me cobraram = charged me | cobrado duas vezes = charged twice | cobraram duas vezes = charged twice
cobrança em dobro = double charged | cobranças indevidas = unauthorized charges
cobrança indevida = unauthorized charge | indevida = unauthorized | debitado = debited
debitada = debited | descontado = deducted | reembolso = refund | reembolsar = refund
estorno = refund | devolução = refund | meu dinheiro de volta = money back | de volta = back
meu dinheiro = my money | dinheiro = money | fraude = fraud | fraudulento = fraudulent
golpe = scam | roubado = stolen | roubada = stolen | roubadas = stolen | furtado = stolen
hackeado = hacked | hackeada = hacked | invadida = hacked | bloqueado = locked out
bloqueada = locked out | fatura = bill | faturamento = billing | conta = account
indenização = compensation | compensação = compensation | cartão de crédito = credit card
cartão = card | pagamento = payment | paguei = i paid | pago = paid | preço = price | voo = flight
voos = flights | cancelado = cancelled | cancelada = cancelled | cancelaram = cancelled
cancelamento = cancellation | atraso = delay | atrasos = delays | atrasado = delayed
atrasada = delayed | atrasar = late | preso = stuck | presos = stuck
perdi o voo = missed my flight | perdi a conexão = missed my connection | bagagem = luggage
bagagem extraviada = lost luggage | mala = bag | malas = bags | extraviada = lost
extraviado = lost | perdido = lost | perdida = lost | perdidas = lost | perdidos = lost
sumiu = disappeared | trem = train | trens = trains | parados = at a standstill
aeroporto = airport | portão = gate | fogo = fire | incêndio = fire | fumaça = smoke
queimado = burned | explodiu = exploded | explosão = explosion | ferido = injured | ferida = injured
machucado = hurt | hospital = hospital | emergência = emergency | perigo = danger
perigoso = dangerous | perigosa = dangerous | inseguro = unsafe | vazamento de gás = gas leak
intoxicação alimentar = food poisoning | intoxicação = poisoning | alergia = allergy
alérgico = allergic | assédio = harassment | assediado = harassed | ameaçado = threatened
agredido = assaulted | polícia = police | mofo = mould | estragado = rotten | podre = rotten
em espera = on hold | ainda esperando = still waiting | continuo esperando = still waiting
esperando = waiting for | esperar = wait | espero = i hope | sem resposta = no response
nenhuma resposta = no response | ninguém responde = nobody responds
ninguém atende = nobody answers | ninguém = nobody | há dias = days ago | faz dias = days ago
há semanas = weeks ago | terceira vez = third time | várias vezes = several times
muitas vezes = many times | de novo = again | novamente = again | toda vez = every time
sempre = always | nunca = never | ainda = still | direto = constantly | ajuda = help | ajudar = help
me ajudar = help me | me ajudem = help me | ajudem = help | socorro = help
podem ajudar = can you help | podem me ajudar = can you help me | preciso de ajuda = need help
por favor = please | pfv = please | pf = please | urgente = urgent | urgência = urgency
imediatamente = immediately | resolvam = please fix | resolver = resolve | consertar = fix
consertem = please fix | como = how | o que = what | que = what | quando = when | onde = where
por que = why | por quê = why | porque = because | quanto = how much | quanto tempo = how long
qual = which | quem = who | posso = can i | pode = can | podem = can you | poderiam = could you
dá pra = can i | tem como = is there a way | é possível = is it possible | alguém = anyone
reclamação = complaint | reclamações = complaints | péssimo = terrible | péssima = terrible
péssimos = terrible | horrível = horrible | terrível = terrible | ruim = bad | pior = worst
o pior = the worst | vergonha = shame | uma vergonha = disgrace | inaceitável = unacceptable
ridículo = ridiculous | decepcionado = disappointed | decepcionada = disappointed
decepção = disappointment | cansei = fed up | irritado = annoyed | irritante = annoying
bravo = angry | furioso = furious | grosso = rude | grossos = rude | mal-educado = rude
incompetentes = incompetent | bagunça = mess | desastre = disaster | nojo = disgusting
que nojo = disgusting | problema = problem | problemas = problems | chocante = shocking
absurdo = outrageous | obrigado = thanks | obrigada = thanks | muito obrigado = thank you so much
muito obrigada = thank you so much | valeu = thanks | excelente = excellent | ótimo = great
ótima = great | incrível = amazing | perfeito = perfect | maravilhoso = wonderful | adoro = love
amo = love | amei = loved | melhor = best | bom = good | boa = good | legal = cool | feliz = happy
contente = happy | bênção = blessing | recomendo = recommend | parabéns = congratulations
caprichou = stepped up | vocês deveriam = you should | sugestão = suggestion
adicionem = please add | seria ótimo = would be great | seria legal = would be nice
queria = i wish | muito = very | super = super | bem = quite | demais = too much
totalmente = totally | mesmo = really | realmente = really | absolutamente = absolutely | tão = so
nada = nothing | não = not | nem = nor | sem = without | nenhum = no | nenhuma = no | jamais = never
olá = hi | oi = hi | ei = hey | sim = yes | o = the | a = the | os = the | as = the | um = a
uma = a | de = of | do = of the | da = of the | em = in | no = in the | na = in the | com = with
para = for | pra = for | pelo = for the | e = and | ou = or | mas = but | meu = my | minha = my
meus = my | minhas = my | vocês = you | você = you | eu = i | é = is | está = is | estão = are
estou = i am | tá = is | foi = was | tenho = i have | tem = has | têm = have | hoje = today
ontem = yesterday | dias = days | horas = hours | minutos = minutes | celular = phone
telefone = phone | e-mail = email | pedido = order | pedidos = orders | pacote = package
pacotes = packages | entrega = delivery | entregador = courier | endereço = address
atendimento = customer service | atendimento ao cliente = customer service | suporte = support
aplicativo = app | app = app | site = site | senha = password | atualização = update
entrar = log in | funciona = works | funcionando = working | finalmente = finally | novo = new
nova = new | novos = new | resolveram = resolved | hoje de manhã = this morning
esta manhã = this morning | amanhã = tomorrow | hoje à noite = tonight | desde = since
liguei = i called | ligar = call | ligação = call | consertou = fixed | consertado = fixed
resolveu = solved | resolvido = resolved | disseram = they said | disse = said | escrevi = i wrote
mensagem = message | mensagens = messages | resposta = answer | respondeu = answered
comprei = i bought | pedi = i ordered | enviei = i sent | tentei = i tried | quero = i want
queria = i wanted | dois = two | duas = two | três = three | quatro = four | cinco = five
dez = ten | vezes = times | semana = week | esta semana = this week | essa semana = this week
mês = month | ano = year | hora = hour | agora = now | já = already | isso = this | isto = this
este = this | esta = this | tudo = everything | todos = all | outro = another | outra = another
mesmo = same | piada = joke | uma piada = a joke | cliente = customer | clientes = customers
empresa = company | loja = store | produto = product | pessoa = person | pessoas = people
funcionário = employee | atendente = agent | errado = wrong | impossível = impossible
possível = possible | sem a minha autorização = without my permission
sem minha autorização = without my permission | sem autorização = without permission | tirou = took
tiraram = took | sacaram = withdrew | atrasou = delayed | cancelou = cancelled | perdi = i lost
perderam = lost | soltar fumaça = smoking | pegou fogo = caught fire | mudo = change
mudar = change | trabalho = work | casa = home | fecha sozinho = keeps crashing
fecha sozinha = keeps crashing | reinicia sozinho = keeps crashing
"""
