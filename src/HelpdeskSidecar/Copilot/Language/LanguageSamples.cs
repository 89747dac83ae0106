namespace HelpdeskSidecar.Copilot.Language;

/// <summary>
/// The text the language profiles are built from: customer-support sentences written for this project (no
/// downloaded corpus). Everyday words and the function words that tell languages apart ("the", "de la",
/// "und", "não", "het") matter more than topic here.
/// </summary>
internal static class LanguageSamples
{
    public static readonly IReadOnlyDictionary<string, string> Text = new Dictionary<string, string>
    {
        ["en"] = """
            Hello, I ordered a jacket last week and it has not arrived yet. Could you please tell me where my parcel is?
            I would like to return the shoes because they are too small. How do I get my money back?
            My card was charged twice for the same order and I want a refund for the second payment.
            I cannot log in to my account, the password reset email never comes. What should I do?
            The package was damaged when it was delivered and the box was open. Thank you for your help.
            Please cancel my subscription and stop sending me these emails, this is the third time I ask.
            When will the new items be back in stock? I have been waiting for a long time and nobody answers.
            """,
        ["es"] = """
            Hola, pedí una chaqueta la semana pasada y todavía no ha llegado. ¿Podrían decirme dónde está mi paquete?
            Quiero devolver los zapatos porque son demasiado pequeños. ¿Cómo puedo recuperar mi dinero?
            Me cobraron dos veces el mismo pedido en la tarjeta y quiero el reembolso del segundo pago.
            No puedo entrar en mi cuenta, nunca llega el correo para cambiar la contraseña. ¿Qué debo hacer?
            El paquete llegó dañado y la caja estaba abierta. Muchas gracias por su ayuda.
            Por favor cancelen mi suscripción y dejen de enviarme estos correos, es la tercera vez que lo pido.
            ¿Cuándo vuelven a tener los artículos en stock? Llevo mucho tiempo esperando y nadie contesta.
            """,
        ["fr"] = """
            Bonjour, j'ai commandé une veste la semaine dernière et elle n'est toujours pas arrivée. Pouvez-vous me dire où est mon colis ?
            Je voudrais retourner les chaussures parce qu'elles sont trop petites. Comment puis-je être remboursé ?
            Ma carte a été débitée deux fois pour la même commande et je veux le remboursement du deuxième paiement.
            Je ne peux pas me connecter à mon compte, le courriel de réinitialisation du mot de passe n'arrive jamais.
            Le colis était abîmé à la livraison et le carton était ouvert. Merci beaucoup pour votre aide.
            Merci d'annuler mon abonnement et d'arrêter de m'envoyer ces messages, c'est la troisième fois que je le demande.
            Quand les articles seront-ils de nouveau en stock ? J'attends depuis longtemps et personne ne répond.
            """,
        ["de"] = """
            Hallo, ich habe letzte Woche eine Jacke bestellt und sie ist immer noch nicht angekommen. Können Sie mir sagen, wo mein Paket ist?
            Ich möchte die Schuhe zurückschicken, weil sie zu klein sind. Wie bekomme ich mein Geld zurück?
            Meine Karte wurde für dieselbe Bestellung zweimal belastet und ich möchte die zweite Zahlung erstattet haben.
            Ich kann mich nicht in mein Konto einloggen, die E-Mail zum Zurücksetzen des Passworts kommt nie an. Was soll ich tun?
            Das Paket war bei der Lieferung beschädigt und der Karton war offen. Vielen Dank für Ihre Hilfe.
            Bitte kündigen Sie mein Abonnement und schicken Sie mir keine E-Mails mehr, ich frage schon zum dritten Mal.
            Wann sind die Artikel wieder auf Lager? Ich warte schon sehr lange und niemand antwortet.
            """,
        ["pt"] = """
            Olá, encomendei um casaco na semana passada e ainda não chegou. Podem dizer-me onde está a minha encomenda?
            Quero devolver os sapatos porque são muito pequenos. Como posso receber o meu dinheiro de volta?
            O meu cartão foi cobrado duas vezes pelo mesmo pedido e quero o reembolso do segundo pagamento.
            Não consigo entrar na minha conta, o e-mail para redefinir a senha nunca chega. O que devo fazer?
            A encomenda chegou danificada e a caixa estava aberta. Muito obrigado pela vossa ajuda.
            Por favor cancelem a minha assinatura e parem de me enviar estes e-mails, é a terceira vez que peço.
            Quando é que os produtos vão voltar ao estoque? Estou à espera há muito tempo e ninguém responde.
            """,
        ["it"] = """
            Ciao, ho ordinato una giacca la settimana scorsa e non è ancora arrivata. Potete dirmi dove si trova il mio pacco?
            Vorrei restituire le scarpe perché sono troppo piccole. Come posso riavere i miei soldi?
            La mia carta è stata addebitata due volte per lo stesso ordine e voglio il rimborso del secondo pagamento.
            Non riesco ad accedere al mio account, l'email per reimpostare la password non arriva mai. Cosa devo fare?
            Il pacco è arrivato danneggiato e la scatola era aperta. Grazie mille per il vostro aiuto.
            Per favore annullate il mio abbonamento e smettete di mandarmi queste email, è la terza volta che lo chiedo.
            Quando saranno di nuovo disponibili gli articoli? Aspetto da molto tempo e nessuno risponde.
            """,
        ["nl"] = """
            Hallo, ik heb vorige week een jas besteld en die is nog steeds niet aangekomen. Kunt u mij vertellen waar mijn pakket is?
            Ik wil de schoenen terugsturen omdat ze te klein zijn. Hoe krijg ik mijn geld terug?
            Mijn kaart is twee keer belast voor dezelfde bestelling en ik wil de tweede betaling terug.
            Ik kan niet inloggen op mijn account, de e-mail om het wachtwoord te herstellen komt nooit aan. Wat moet ik doen?
            Het pakket was beschadigd bij de levering en de doos was open. Hartelijk dank voor uw hulp.
            Zeg alstublieft mijn abonnement op en stuur mij deze e-mails niet meer, het is de derde keer dat ik het vraag.
            Wanneer zijn de artikelen weer op voorraad? Ik wacht al heel lang en niemand geeft antwoord.
            """,
        ["ar"] = """
            مرحبا، طلبت سترة الأسبوع الماضي ولم تصل بعد. هل يمكنكم إخباري أين طردي؟
            أريد إرجاع الحذاء لأنه صغير جدا. كيف أسترد أموالي؟
            تم خصم المبلغ من بطاقتي مرتين لنفس الطلب وأريد استرداد الدفعة الثانية.
            لا أستطيع تسجيل الدخول إلى حسابي، ورسالة إعادة تعيين كلمة المرور لا تصل أبدا. ماذا أفعل؟
            وصل الطرد تالفا وكان الصندوق مفتوحا. شكرا جزيلا على مساعدتكم.
            """,
    };
}
