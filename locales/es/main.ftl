# Textos para clientes (español neutro, trato de «usted»). Cada clave de en-US debe estar aquí, con las mismas variables.

ack-new-conversation = Recibimos su mensaje. Su número de caso es { $reference }; un agente le responderá aquí. Nuestro personal nunca le escribe primero y nunca le pedirá su frase de recuperación ni su clave privada.
welcome = ¡Hola! Este es el centro de soporte. Cuéntenos qué ocurrió y le ayudaremos. Escriba /help para ver lo que puedo hacer.
help =
    Puede escribirnos con sus propias palabras. Comandos:
    /status: el estado de su caso
    /human: hablar con una persona
    /lang CÓDIGO: cambiar el idioma (por ejemplo /lang en-US)
    /link: unir este chat con el de otra aplicación
    /verify @cuenta: comprobar si alguien es realmente de nuestro equipo
    /complaint: presentar un reclamo formal sobre su caso
    /stop: dejar de recibir anuncios
lang-changed = A partir de ahora le escribiré en español.
lang-unknown = Todavía no puedo escribir en «{ $code }». Disponibles: { $available }.
status-none = Aún no tiene ningún caso con nosotros. Escriba su pregunta y abriremos uno.
status-open = Su caso { $reference } está abierto; un agente le responderá aquí.
status-pending = Su caso { $reference } está esperando su respuesta.
status-resolved = Su caso { $reference } está resuelto. Si aún necesita ayuda, escríbanos de nuevo.
handoff = Pedí a una persona que se haga cargo del caso { $reference }. Le responderá aquí.
secret-redacted =
    Nunca comparta su frase de recuperación ni su clave privada con nadie, ni siquiera con nosotros: quien se la pida es un estafador.
    La eliminamos de su mensaje y no la guardamos. Mueva sus fondos a una billetera nueva ahora mismo, porque la actual puede haber dejado de ser segura.

# La página del chat web.
webchat-title = Chat de soporte
webchat-intro = Pregúntenos lo que necesite. Normalmente una persona responde en menos de { $within }.
webchat-name-label = Su nombre (opcional)
webchat-start = Iniciar chat
webchat-placeholder = Escriba su mensaje…
webchat-send = Enviar
webchat-you = Usted
webchat-agent = Soporte
webchat-error = No se pudo conectar con el servidor. Reintentando…

# /link: unir las identidades que un cliente usa en varios canales.
link-code = Su código es { $code }. En los próximos 15 minutos, envíe /link { $code } desde la otra aplicación con la que nos escribe y veremos ambas conversaciones juntas.
link-done = Listo: ahora vemos juntos sus mensajes de ambas aplicaciones.
link-invalid = Ese código no existe o ya venció. Envíe /link para obtener uno nuevo.

# /verify CUENTA: ¿es de nuestro equipo?
verify-usage = Envíe /verify seguido de la cuenta que quiere comprobar, por ejemplo /verify @SupportAnn.
verify-staff = Sí: { $handle } es { $name }, de nuestro equipo en { $channel }. Aun así, nuestro personal nunca le pedirá su frase de recuperación ni su clave privada.
verify-impostor = ATENCIÓN: { $handle } NO es de nuestro equipo. Imita nuestra cuenta de { $channel } { $real }. No le responda, no le envíe nada y nunca comparta su frase de recuperación.
verify-unknown = { $handle } no es de nuestro equipo. Nuestro personal nunca le escribe primero y nunca le pedirá su frase de recuperación ni su clave privada.

# Descripciones de comandos en las aplicaciones de chat (menú de comandos de Telegram).
command-start = Iniciar una conversación con soporte
command-help = Lo que puedo hacer
command-status = El estado de su caso
command-human = Hablar con una persona
command-lang = Cambiar el idioma, p. ej. /lang en-US
command-verify = Comprobar si una cuenta es realmente de nuestro equipo
command-link = Unir este chat con sus otras aplicaciones
command-complaint = Presentar un reclamo formal
command-stop = Dejar de recibir anuncios

# Un archivo del cliente supera el tamaño máximo.
attachment-too-large = No pudimos guardar { $files }: los archivos pueden pesar como máximo { $limit }. Envíe un archivo más pequeño o un enlace.

# Las opciones de los comandos que llevan una.
command-option-code = El código
command-option-handle = La cuenta a comprobar, p. ej. @alice

# Nombres de comandos donde la plataforma los muestra traducidos (Discord).
command-name-start = iniciar
command-name-help = ayuda
command-name-status = estado
command-name-human = persona
command-name-lang = idioma
command-name-verify = verificar
command-name-link = vincular
command-name-complaint = reclamo
command-name-stop = baja

# El bot de soporte
bot-did-it-help = ¿Esto resolvió su consulta?
bot-solved-yes = Sí, resuelto
bot-solved-no = No, necesito una persona
bot-glad = ¡Nos alegra haberle ayudado! Escríbanos cuando quiera.
bot-offer = Encontré algunos artículos que pueden ayudarle. ¿Cuál corresponde a su pregunta?
bot-cross-lingual = (Por ahora, esta respuesta solo está disponible en otro idioma.)
bot-handoff = Pasé su caso { $reference } a nuestro equipo de soporte. Una persona le responderá aquí, normalmente en menos de { $within }; no necesita volver a escribir. Nuestro personal nunca le pedirá su frase de recuperación ni su clave privada.
bot-handoff-off-hours = Pasé su caso { $reference } a nuestro equipo de soporte. En este momento están fuera de horario y le responderán aquí cuando volvamos a abrir: { DATETIME($when, dateStyle: "full", timeStyle: "short") } ({ $zone }). No necesita volver a escribir. Mientras tanto, puedo responder preguntas generales. Nuestro personal nunca le pedirá su frase de recuperación ni su clave privada.
message-unreadable = [Este mensaje no se pudo leer ni guardar. Su texto no se conserva; pida al cliente que lo envíe de nuevo.]
redacted-seed-phrase = [eliminado: frase de recuperación]
redacted-private-key = [eliminado: clave privada]
response-time = { $unit ->
    [minute] { $n ->
        [one] un minuto
       *[other] { $n } minutos
    }
    [day] { $n ->
        [one] un día
       *[other] { $n } días
    }
   *[hour] { $n ->
        [one] una hora
       *[other] { $n } horas
    }
}
bot-scam-warning = Esto es una estafa. Nadie —ni nuestro personal, ni un administrador, ni un «servicio de recuperación»— necesitará jamás su frase de recuperación, su clave privada, acceso remoto a su dispositivo ni un pago para liberar sus fondos. No los comparta, no pague y no conecte su billetera al sitio que le enviaron. Si ya lo hizo, mueva sus fondos ahora mismo a una billetera nueva con una frase de recuperación nueva. Una persona de nuestro equipo revisará esta conversación.

# Un botón por calificación, de 1 a 5.
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = Su caso { $reference } fue resuelto. ¿Qué tan satisfecho quedó con la ayuda recibida? Califíquela de 1 (mala) a 5 (excelente).
csat-thanks = ¡Gracias por su calificación! Si lo desea, cuéntenos en su próximo mensaje qué podríamos mejorar.
csat-comment-thanks = Gracias, su comentario llegó al equipo.
# La página que abre un enlace de un correo para confirmar una elección: nada se registra hasta pulsar su botón.
choice-page-title = Su respuesta
choice-page-question = Su respuesta para el caso { $reference }: { $label }
choice-page-confirm = Enviar: { $label }
choice-page-done = ¡Gracias! Registramos su respuesta.
choice-page-already = Su respuesta ya estaba registrada. ¡Gracias!
choice-page-invalid = Este enlace no es válido. Puede que se haya copiado incompleto.
choice-page-unavailable = Esta página no está disponible por un momento. Vuelva a intentarlo en breve.
csat-page-title = Califique nuestro soporte
csat-page-question = Su calificación para el caso { $reference }: { $label }

## Consultas de transacciones: las respuestas del bot cuando el cliente pega un hash
tx-pending = Su transacción { $hash } está en { $network }, esperando ser incluida en un bloque. Una vez incluida, necesita { $required ->
        [one] { $required } confirmación
       *[other] { $required } confirmaciones
    } para acreditarse: aproximadamente { $eta } a partir de ahora.
tx-confirming = Su transacción { $hash } está confirmada en { $network } en el bloque { $block }, con { $confirmations } de { $required ->
        [one] la { $required } confirmación necesaria
       *[other] las { $required } confirmaciones necesarias
    }. Se acreditará tras { $required ->
        [one] { $required } confirmación
       *[other] { $required } confirmaciones
    }, en aproximadamente { $eta }.
tx-credited = Su transacción { $hash } está completa en { $network } (bloque { $block }, confirmaciones: { $confirmations }). No necesita más confirmaciones.
tx-moved = Transfirió { $what } a { $to }.
tx-not-credited = La red muestra su transacción { $hash } como completa en { $network } (confirmaciones: { $confirmations }), así que una persona de nuestro equipo revisará por qué aún no se le acreditó.
tx-failed = Su transacción { $hash } falló en { $network } (bloque { $block }): no se transfirió nada; solo se gastó la comisión de la red.
tx-not-found = No encontré la transacción { $hash } en { $networks }. Compruebe que el hash esté completo y que la transferencia realmente se haya enviado.
tx-wrong-network = La transacción { $hash } se envió por { $found }, no por { $named }. Para recuperar fondos enviados por la red equivocada se necesita la ayuda de nuestro equipo.
tx-unavailable = En este momento no puedo consultar la transacción { $hash } en la red.
tx-reorganized = La red descartó el bloque en el que estaba su transacción { $hash }, así que todavía no es definitiva.
tx-status-pending = pendiente
tx-status-confirmed = confirmada
tx-status-credited = definitiva
tx-status-failed = fallida
tx-status-not_found = no encontrada

## Incidentes: la respuesta del bot a una pregunta sobre uno, y cada cambio comunicado a los clientes vinculados.
incident-answer =
    Estamos al tanto: { $title }.

    { $message }

    Su caso { $reference } quedó vinculado a este incidente y le avisaremos aquí en cuanto haya novedades. No necesita volver a escribir.
incident-update =
    Novedades sobre { $title }: { $status }.

    { $message }
incident-resolved =
    Resuelto: { $title }.

    { $message }

    Cerramos su caso { $reference }. Si algo todavía no funciona bien para usted, escriba aquí y una persona lo revisará.
incident-no-message = Compartiremos más información aquí en cuanto la tengamos.
incident-status-suggested = en revisión
incident-status-investigating = lo estamos investigando
incident-status-monitoring = ya aplicamos una solución y la estamos supervisando
incident-status-resolved = resuelto

## Reclamos: cada etapa se comunica al cliente; /status la muestra.
complaint-received = Registramos su reclamo sobre el caso { $reference }. Ya está a cargo de una persona de nuestro equipo y tendrá nuestra respuesta en un plazo de { $due }. Le informaremos aquí de cada paso.
complaint-investigating = Estamos investigando su reclamo sobre el caso { $reference }. Tendrá nuestra respuesta en un plazo de { $due }.
complaint-resolution-proposed = Propusimos una solución a su reclamo sobre el caso { $reference }. Por favor, revísela y díganos aquí si da el asunto por resuelto.
complaint-closed = Su reclamo sobre el caso { $reference } está cerrado. Gracias por contárnoslo. Si algo sigue sin estar bien, envíe /complaint otra vez.
complaint-stage-received = recibido
complaint-stage-investigating = en investigación
complaint-stage-resolution-proposed = solución propuesta
complaint-stage-closed = cerrado
status-complaint = Su reclamo sobre el caso { $reference }: { $stage }.

## /stop: sin más anuncios.
stop-done = Ya no recibirá más anuncios nuestros. Sus casos no se ven afectados y seguimos respondiéndole aquí.

## Modo de alta demanda: el lugar de un cliente en la fila.
queue-place = Tenemos más consultas de lo habitual. Su caso { $reference } es el número { $position } en la fila y una persona debería responderle en unos { $wait }. Su lugar se mantiene: no necesita volver a escribir.
queue-place-unknown = Tenemos más consultas de lo habitual. Su caso { $reference } es el número { $position } en la fila y una persona le responderá en cuanto se desocupe. Su lugar se mantiene: no necesita volver a escribir.

## Anuncios: cómo dejar de recibirlos.
announcement-stop = (Un anuncio de nuestro equipo de soporte. Envíe /stop para no recibir más.)
