"""Spanish -> English gloss lexicon: "phrase = English", entries separated by "|" or new lines."""

LEXICON = """
no funciona = is not working | no funcionan = are not working | ya no funciona = stopped working
dejó de funcionar = stopped working | no va = is not working | no anda = is not working
no carga = not loading | no cargan = not loading | no se carga = not loading | no abre = won't load
no me deja = won't let me | no puedo = can't | no podemos = can't | no puede = can't
no puedo conectarme = can't connect | no conecta = can't connect | sin conexión = no connection
sin servicio = no service | sin señal = no signal | sin internet = no internet | sin luz = no power
sin wifi = no wifi | sin red = no network | caído = down | caída = outage
caída del servicio = outage | está caído = is down | está caída = is down | están caídos = are down
se cayó = went down | se cae = keeps dropping | se cuelga = keeps crashing
se bloquea = keeps crashing | apagón = outage | avería = outage | interrupción = outage
fallo = failure | error = error | no me llega = hasn't arrived | no llega = hasn't arrived
no ha llegado = hasn't arrived | no llegó = never arrived | nunca llegó = never arrived
no recibí = didn't receive | no he recibido = haven't received | no me ha llegado = hasn't arrived
cobro = charge | cobros = charges | cargo = charge | cargos = charges | me cobraron = charged me
me cobran = charged me | cobraron = charged | cobrado = charged | cobrado dos veces = charged twice
me cobraron dos veces = charged twice | doble cobro = double charged
cobro indebido = unauthorized charge | cargo indebido = unauthorized charge
cargos falsos = unauthorized charges | sin autorización = unauthorized | reembolso = refund
reembolsar = refund | reembolsen = refund | reembolsan = refund | devolución = refund
devolver = return | devuelvan = refund | devuelvan mi dinero = money back | mi dinero = my money
dinero = money | fraude = fraud | fraudulento = fraudulent | fraudulenta = fraudulent
estafa = scam | estafado = scammed | robo = theft | robado = stolen | robada = stolen
robadas = stolen | robados = stolen | hackeado = hacked | hackeada = hacked | bloqueado = locked out
bloqueada = locked out | factura = bill | facturación = billing | facturado = billed
me descontaron = deducted | debitado = debited | compensación = compensation
indemnización = compensation | tarjeta = card | tarjeta de crédito = credit card | cuenta = account
pago = payment | pagué = i paid | pagado = paid | precio = price | vuelo = flight | vuelos = flights
cancelado = cancelled | cancelada = cancelled | cancelaron = cancelled | cancelación = cancellation
retraso = delay | retrasos = delays | retrasado = delayed | retrasada = delayed
con retraso = delayed | llegan tarde = late | llega tarde = late | tarde = late | demora = delay
varado = stranded | varados = stranded | atrapado = stuck | perdí el vuelo = missed my flight
perdí la conexión = missed my connection | equipaje = luggage | equipaje perdido = lost luggage
maleta = bag | maletas = bags | maleta perdida = lost bag | perdieron mi maleta = lost my bag
extraviado = lost | extraviada = lost | perdido = lost | perdida = lost | perdidas = lost
perdidos = lost | tren = train | trenes = trains | parados = stopped | aeropuerto = airport
embarque = boarding | puerta = gate | fuego = fire | incendio = fire | humo = smoke
quemado = burned | explotó = exploded | explosión = explosion | herido = injured | herida = injured
lesión = injury | hospital = hospital | urgencias = emergency | emergencia = emergency
peligro = danger | peligroso = dangerous | peligrosa = dangerous | inseguro = unsafe
fuga de gas = gas leak | intoxicación = food poisoning | intoxicación alimentaria = food poisoning
alergia = allergy | alérgico = allergic | acoso = harassment | acosado = harassed | amenaza = threat
amenazado = threatened | agredido = assaulted | policía = police | moho = mould | podrido = rotten
en espera = on hold | sigo esperando = still waiting | todavía esperando = still waiting
esperando = waiting for | espero = i hope | esperar = wait | sin respuesta = no response
ninguna respuesta = no response | nadie responde = nobody responds | nadie contesta = nobody answers
nadie me ayuda = nobody helps me | nadie = nobody | hace días = days ago | hace semanas = weeks ago
tercera vez = third time | varias veces = several times | muchas veces = many times
otra vez = again | de nuevo = again | cada vez = every time | siempre = always | nunca = never
todavía = still | aún = still | sigue = still | ayuda = help | ayúdenme = help me
ayudarme = help me | me ayudan = help me | ayudar = help | ayudarnos = help us
me pueden ayudar = can you help me | pueden ayudarme = can you help me
pueden ayudarnos = can you help us | necesito ayuda = need help | por favor = please
porfa = please | porfavor = please | favor = please | urgente = urgent | urgentemente = urgently
inmediato = immediately | de inmediato = immediately | solucionen = please fix
arreglen = please fix | arreglar = fix | solucionar = fix | resolver = resolve | cómo = how
como = how | qué = what | que = that | cuándo = when | cuando = when | dónde = where | donde = where
por qué = why | porque = because | cuánto = how much | cuánto tiempo = how long | cuál = which
quién = who | puedo = can i | puede = can | pueden = can you | podrían = could you | hay = is there
es posible = is it possible | alguien = anyone | algún = any | alguna = any | queja = complaint
quejas = complaints | reclamación = complaint | reclamo = complaint | pésimo = terrible
pésima = terrible | horrible = horrible | terrible = terrible | fatal = awful | malo = bad
mala = bad | peor = worst | lo peor = the worst | vergüenza = shame | una vergüenza = disgrace
inaceptable = unacceptable | ridículo = ridiculous | decepcionado = disappointed
decepcionada = disappointed | decepción = disappointment | harto = fed up | harta = fed up
me harté = fed up | molesto = annoying | molesta = annoying | enfadado = angry | enojado = angry
furioso = furious | indignado = outraged | grosero = rude | groseros = rude | maleducado = rude
incompetentes = incompetent | desastre = mess | un desastre = a mess | basura = garbage
asco = disgusting | qué asco = disgusting | problema = problem | problemas = problems | lento = slow
lenta = slow | roto = broken | rota = broken | rotas = broken | gracias = thanks
muchas gracias = thank you so much | mil gracias = thanks so much | agradezco = appreciate
genial = great | excelente = excellent | increíble = amazing | maravilloso = wonderful
perfecto = perfect | encanta = love | me encanta = i love | amo = love | mejor = best | bueno = good
buena = good | buen = good | bien = well | feliz = happy | contento = happy | contenta = happy
bendición = blessing | recomiendo = recommend | felicidades = congratulations
se lucieron = stepped up | se ha lucido = stepped up | deberían = you should
sugerencia = suggestion | añadan = please add | agreguen = please add
sería genial = would be great | ojalá = i wish | estaría bien = would be nice | muy = very
súper = super | bastante = quite | demasiado = too | totalmente = totally
absolutamente = absolutely | realmente = really | de verdad = really | tan = so | nada = nothing
no = not | ni = nor | sin = without | ningún = no | ninguna = no | ninguno = none | jamás = never
hola = hi | buenas = hi | oye = hey | sí = yes | vale = ok | el = the | la = the | los = the
las = the | un = a | una = a | de = of | del = of the | en = in | con = with | para = for
por = for | y = and | o = or | pero = but | mi = my | mis = my | su = their | sus = their | me = me
yo = i | es = is | está = is | están = are | estoy = i am | son = are | fue = was | tengo = i have
tiene = has | tienen = have | han = have | he = i have | ha = has | hoy = today | ayer = yesterday
semana = week | días = days | horas = hours | minutos = minutes | teléfono = phone | móvil = phone
celular = phone | correo = email | pedido = order | pedidos = orders | paquete = package
paquetes = packages | entrega = delivery | envío = shipping | repartidor = courier
dirección = address | servicio = service | atención al cliente = customer service
servicio al cliente = customer service | soporte = support | aplicación = app | web = website
página = page | sitio = site | contraseña = password | iniciar sesión = log in
no puedo iniciar sesión = can't log in | actualización = update | funciona = works
funcionan = work | por fin = finally | finalmente = finally | nuevo = new | nueva = new
nuevos = new | tardes = afternoon | días = days | esta mañana = this morning | mañana = tomorrow
esta noche = tonight | anoche = last night | desde = since | he llamado = i have called
llamé = i called | llamado = called | llamar = call | llamada = call | arreglado = fixed
arregló = fixed | solucionado = solved | resuelto = resolved | dijeron = they said
dicen = they say | dijo = said | escribí = i wrote | mensaje = message | mensajes = messages
respuesta = answer | respondido = answered | contestado = answered | compré = i bought
comprar = buy | pedí = i ordered | envié = i sent | enviado = sent | intenté = i tried
intentado = tried | quiero = i want | quería = i wanted | dos = two | tres = three | cuatro = four
cinco = five | diez = ten | veces = times | semana = week | esta semana = this week | mes = month
año = year | hora = hour | minuto = minute | ahora = now | ya = already | todavía no = not yet
esto = this | eso = that | este = this | esta = this | todo = everything | todos = all
otro = another | otra = another | mismo = same | broma = joke | es una broma = is a joke
cliente = customer | clientes = customers | empresa = company | tienda = store | producto = product
persona = person | gente = people | empleado = employee | agente = agent | personal = staff
gerente = manager | equivocado = wrong | incorrecto = wrong | imposible = impossible
posible = possible | sin mi permiso = without my permission | sin permiso = without permission
me sacaron = took | sacado = withdrawn | retiraron = withdrew | se retrasó = was delayed
retrasó = delayed | se canceló = was cancelled | canceló = cancelled | perdí = i lost
he perdido = i lost | perdieron = lost | no tengo = i have no | llevo sin = i have had no
echar humo = smoking | se incendia = catches fire | incendió = caught fire | cambio = change
cambiar = change | trabajo = work | casa = home | se cierra = keeps crashing
se cierra sola = keeps crashing | se apaga sola = keeps crashing | se reinicia = keeps crashing
cada vez que = every time
"""
