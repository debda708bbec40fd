# Textos para clientes (português do Brasil, tratando o cliente por "você"). Cada chave de en-US precisa estar aqui, com as mesmas variáveis.

ack-new-conversation = Recebemos sua mensagem. O número do seu atendimento é { $reference }; um atendente vai responder aqui. Nossa equipe nunca manda mensagem primeiro e nunca pede sua frase de recuperação nem sua chave privada.
welcome = Olá! Aqui é o suporte. Conte o que aconteceu e nós vamos ajudar. Digite /help para ver o que eu posso fazer.
help =
    Você pode escrever com suas próprias palavras. Comandos:
    /status: a situação do seu atendimento
    /human: falar com uma pessoa
    /lang CÓDIGO: mudar o idioma (por exemplo /lang en-US)
    /link: juntar este chat com o de outro aplicativo
    /verify @conta: verificar se alguém é mesmo da nossa equipe
    /complaint: registrar uma reclamação formal sobre o seu atendimento
    /stop: parar de receber comunicados
lang-changed = A partir de agora vou escrever para você em português.
lang-unknown = Ainda não consigo escrever em "{ $code }". Disponíveis: { $available }.
status-none = Você ainda não tem nenhum atendimento com a gente. É só escrever sua dúvida que abrimos um.
status-open = Seu atendimento { $reference } está aberto; um atendente vai responder aqui.
status-pending = Seu atendimento { $reference } está aguardando a sua resposta.
status-resolved = Seu atendimento { $reference } foi resolvido. Se ainda precisar de ajuda, é só escrever de novo.
handoff = Pedi para uma pessoa assumir o atendimento { $reference }. Ela vai responder aqui.
secret-redacted =
    Nunca compartilhe sua frase de recuperação ou sua chave privada com ninguém, nem com a gente: quem pede isso é golpista.
    Nós removemos isso da sua mensagem e não guardamos. Transfira seus fundos para uma carteira nova agora, porque a atual pode não estar mais segura.

# A página do chat na web.
webchat-title = Chat de suporte
webchat-intro = Pergunte o que quiser. Normalmente uma pessoa responde em até { $within }.
webchat-name-label = Seu nome (opcional)
webchat-start = Iniciar chat
webchat-placeholder = Digite sua mensagem…
webchat-send = Enviar
webchat-you = Você
webchat-agent = Suporte
webchat-error = Não foi possível conectar ao servidor. Tentando de novo…

# /link: juntar as identidades que um cliente usa em vários canais.
link-code = Seu código é { $code }. Em até 15 minutos, envie /link { $code } pelo outro aplicativo que você usa para falar com a gente, e veremos as duas conversas juntas.
link-done = Pronto: agora vemos suas mensagens dos dois aplicativos juntas.
link-invalid = Esse código não existe ou expirou. Envie /link para receber um novo.

# /verify CONTA: é da nossa equipe?
verify-usage = Envie /verify seguido da conta que você quer verificar, por exemplo /verify @SupportAnn.
verify-staff = Sim: { $handle } é { $name }, da nossa equipe no { $channel }. Mesmo assim, nossa equipe nunca pede sua frase de recuperação nem sua chave privada.
verify-impostor = ATENÇÃO: { $handle } NÃO é da nossa equipe. Essa conta imita a nossa conta { $real } no { $channel }. Não responda, não envie nada e nunca compartilhe sua frase de recuperação.
verify-unknown = { $handle } não é da nossa equipe. Nossa equipe nunca manda mensagem primeiro e nunca pede sua frase de recuperação nem sua chave privada.

# Descrições de comandos nos aplicativos de chat (menu de comandos do Telegram).
command-start = Iniciar uma conversa com o suporte
command-help = O que eu posso fazer
command-status = A situação do seu atendimento
command-human = Falar com uma pessoa
command-lang = Mudar o idioma, ex.: /lang en-US
command-verify = Verificar se uma conta é mesmo da nossa equipe
command-link = Juntar este chat com seus outros aplicativos
command-complaint = Registrar uma reclamação formal
command-stop = Parar de receber comunicados

# Um arquivo do cliente passou do tamanho máximo.
attachment-too-large = Não conseguimos guardar { $files }: os arquivos podem ter no máximo { $limit }. Envie um arquivo menor ou um link.

# As opções dos comandos que recebem uma.
command-option-code = O código
command-option-handle = A conta a verificar, ex.: @alice

# Nomes de comandos onde a plataforma os mostra traduzidos (Discord).
command-name-start = iniciar
command-name-help = ajuda
command-name-status = situacao
command-name-human = atendente
command-name-lang = idioma
command-name-verify = verificar
command-name-link = vincular
command-name-complaint = reclamacao
command-name-stop = sair

# O bot de suporte
bot-did-it-help = Isso resolveu sua dúvida?
bot-solved-yes = Sim, resolveu
bot-solved-no = Não, preciso de uma pessoa
bot-glad = Que bom que ajudou! Escreva quando quiser.
bot-offer = Encontrei alguns artigos que podem ajudar. Qual deles corresponde à sua pergunta?
bot-cross-lingual = (Por enquanto, esta resposta só está disponível em outro idioma.)
bot-handoff = Encaminhei seu atendimento { $reference } para a nossa equipe de suporte. Uma pessoa vai responder aqui, normalmente em até { $within }; não precisa escrever de novo. Nossa equipe nunca vai pedir sua frase de recuperação nem sua chave privada.
bot-handoff-off-hours = Encaminhei seu atendimento { $reference } para a nossa equipe de suporte. Eles estão fora do horário agora e vão responder aqui a partir de { DATETIME($when, dateStyle: "full", timeStyle: "short") } ({ $zone }); não precisa escrever de novo. Enquanto isso, posso responder dúvidas gerais. Nossa equipe nunca vai pedir sua frase de recuperação nem sua chave privada.
message-unreadable = [Esta mensagem não pôde ser lida nem guardada. O texto não foi mantido; peça ao cliente para enviá-la de novo.]
redacted-seed-phrase = [removido: frase de recuperação]
redacted-private-key = [removido: chave privada]
response-time = { $unit ->
    [minute] { $n ->
        [one] 1 minuto
       *[other] { $n } minutos
    }
    [day] { $n ->
        [one] 1 dia
       *[other] { $n } dias
    }
   *[hour] { $n ->
        [one] 1 hora
       *[other] { $n } horas
    }
}
bot-scam-warning = Isso é golpe. Ninguém — nem nossa equipe, nem um administrador, nem um "serviço de recuperação" — vai precisar da sua frase de recuperação, da sua chave privada, de acesso remoto ao seu aparelho ou de uma taxa para liberar seus fundos. Não compartilhe, não pague e não conecte sua carteira ao site que mandaram. Se você já fez isso, transfira seus fundos agora para uma carteira nova, com uma frase de recuperação nova. Uma pessoa da nossa equipe vai olhar esta conversa.

# Um botão por nota, de 1 a 5.
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = Seu atendimento { $reference } foi resolvido. Quão satisfeito você ficou com a ajuda? Dê uma nota de 1 (ruim) a 5 (excelente).
csat-thanks = Obrigado pela sua nota! Se quiser, conte na próxima mensagem o que poderíamos fazer melhor.
csat-comment-thanks = Obrigado, seu comentário chegou à equipe.
# A página que um link de e-mail abre para confirmar uma escolha: nada é registrado até o botão ser pressionado.
choice-page-title = Sua resposta
choice-page-question = Sua resposta para o atendimento { $reference }: { $label }
choice-page-confirm = Enviar: { $label }
choice-page-done = Obrigado! Sua resposta foi registrada.
choice-page-already = Sua resposta já tinha sido registrada. Obrigado!
choice-page-invalid = Este link não é válido. Pode ter sido copiado pela metade.
choice-page-unavailable = Esta página está indisponível no momento. Tente de novo daqui a pouco.
csat-page-title = Avalie nosso suporte
csat-page-question = Sua nota para o atendimento { $reference }: { $label }

## Consultas de transações: as respostas do bot quando o cliente cola um hash
tx-pending = Sua transação { $hash } está na rede { $network }, aguardando ser incluída em um bloco. Depois disso, precisa de { $required ->
        [one] { $required } confirmação
       *[other] { $required } confirmações
    } para ser creditada: cerca de { $eta } a partir de agora.
tx-confirming = Sua transação { $hash } foi confirmada na rede { $network } no bloco { $block }, com { $confirmations } { $required ->
        [one] da { $required } confirmação necessária
       *[other] das { $required } confirmações necessárias
    }. Ela será creditada após { $required ->
        [one] { $required } confirmação
       *[other] { $required } confirmações
    }, em cerca de { $eta }.
tx-credited = Sua transação { $hash } está concluída na rede { $network } (bloco { $block }, confirmações: { $confirmations }). Não precisa de mais confirmações.
tx-moved = Ela transferiu { $what } para { $to }.
tx-not-credited = A rede mostra sua transação { $hash } como concluída na { $network } (confirmações: { $confirmations }), então uma pessoa da nossa equipe vai verificar por que ela ainda não foi creditada para você.
tx-failed = Sua transação { $hash } falhou na rede { $network } (bloco { $block }): nada foi transferido; só a taxa da rede foi gasta.
tx-not-found = Não encontrei a transação { $hash } em { $networks }. Confira se o hash está completo e se a transferência foi mesmo enviada.
tx-wrong-network = A transação { $hash } foi enviada pela rede { $found }, e não pela { $named }. Fundos enviados pela rede errada precisam da ajuda da nossa equipe para serem recuperados.
tx-unavailable = No momento não consigo consultar a transação { $hash } na rede.
tx-reorganized = A rede descartou o bloco em que estava sua transação { $hash }, então ela ainda não é definitiva.
tx-status-pending = pendente
tx-status-confirmed = confirmada
tx-status-credited = definitiva
tx-status-failed = falhou
tx-status-not_found = não encontrada

## Incidentes: a resposta do bot a uma pergunta sobre um incidente, e cada mudança avisada aos clientes vinculados.
incident-answer =
    Já sabemos deste problema: { $title }.

    { $message }

    Seu atendimento { $reference } foi vinculado a ele, e vamos avisar aqui assim que algo mudar. Não precisa escrever de novo.
incident-update =
    Atualização sobre { $title }: { $status }.

    { $message }
incident-resolved =
    Resolvido: { $title }.

    { $message }

    Encerramos seu atendimento { $reference }. Se algo ainda não estiver certo para você, é só escrever aqui que uma pessoa vai verificar.
incident-no-message = Vamos compartilhar mais informações aqui assim que soubermos.
incident-status-suggested = em análise
incident-status-investigating = estamos investigando
incident-status-monitoring = uma correção foi aplicada e estamos acompanhando
incident-status-resolved = resolvido

## Reclamações: cada etapa é avisada ao cliente; /status mostra a etapa.
complaint-received = Registramos sua reclamação sobre o atendimento { $reference }. Uma pessoa da nossa equipe é responsável por ela agora, e você terá nossa resposta em até { $due }. Vamos avisar aqui a cada etapa.
complaint-investigating = Sua reclamação sobre o atendimento { $reference } está em análise. Você terá nossa resposta em até { $due }.
complaint-resolution-proposed = Propusemos uma solução para sua reclamação sobre o atendimento { $reference }. Por favor, leia e diga aqui se ela resolve a questão.
complaint-closed = Sua reclamação sobre o atendimento { $reference } foi encerrada. Obrigado por nos contar. Se algo ainda não estiver certo, envie /complaint de novo.
complaint-stage-received = recebida
complaint-stage-investigating = em análise
complaint-stage-resolution-proposed = solução proposta
complaint-stage-closed = encerrada
status-complaint = Sua reclamação sobre o atendimento { $reference }: { $stage }.

## /stop: sem mais comunicados.
stop-done = Você não vai mais receber comunicados nossos. Seus atendimentos não são afetados, e continuamos respondendo aqui.

## Modo de alta demanda: o lugar do cliente na fila.
queue-place = Estamos com mais atendimentos do que o normal. Seu atendimento { $reference } é o número { $position } na fila, e uma pessoa deve responder em cerca de { $wait }. Seu lugar está garantido: não precisa escrever de novo.
queue-place-unknown = Estamos com mais atendimentos do que o normal. Seu atendimento { $reference } é o número { $position } na fila, e uma pessoa vai responder assim que estiver livre. Seu lugar está garantido: não precisa escrever de novo.

## Comunicados: como o cliente para de recebê-los.
announcement-stop = (Um comunicado da nossa equipe de suporte. Envie /stop para não receber mais.)
