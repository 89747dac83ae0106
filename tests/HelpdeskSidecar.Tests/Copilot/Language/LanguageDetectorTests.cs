using HelpdeskSidecar.Copilot.Language;

namespace HelpdeskSidecar.Tests.Copilot.Language;

/// <summary>Sentences that are not in the profile samples, one per language.</summary>
public class LanguageDetectorTests
{
    [TestCase("en", "My order number is wrong on the invoice and I need a corrected copy for my accountant.")]
    [TestCase("es", "El número de pedido en la factura está mal y necesito una copia corregida para mi contable.")]
    [TestCase("fr", "Le numéro de commande sur la facture est faux et j'ai besoin d'une copie corrigée pour mon comptable.")]
    [TestCase("de", "Die Bestellnummer auf der Rechnung ist falsch und ich brauche eine korrigierte Kopie für meinen Steuerberater.")]
    [TestCase("pt", "O número do pedido na fatura está errado e preciso de uma cópia corrigida para o meu contabilista.")]
    [TestCase("it", "Il numero dell'ordine sulla fattura è sbagliato e mi serve una copia corretta per il mio commercialista.")]
    [TestCase("nl", "Het bestelnummer op de factuur klopt niet en ik heb een verbeterde kopie nodig voor mijn boekhouder.")]
    [TestCase("ar", "رقم الطلب في الفاتورة خاطئ وأحتاج إلى نسخة مصححة لمحاسبي.")]
    public void Detect_SentenceInLanguage_ReturnsItWithConfidence(string expected, string text)
    {
        var detected = LanguageDetector.Detect(text);
        Assert.That(detected.Code, Is.EqualTo(expected));
        Assert.That(detected.Confidence, Is.GreaterThan(0.5).And.LessThanOrEqualTo(1));
    }

    [TestCase("ok")]
    [TestCase("12345 !!")]
    public void Detect_TooLittleText_Undetermined(string text)
    {
        var detected = LanguageDetector.Detect(text);
        Assert.That(detected.Code, Is.EqualTo("und"));
        Assert.That(detected.Confidence, Is.Zero);
    }

    [Test]
    public void Languages_CoverTheEightRequired() =>
        Assert.That(LanguageDetector.Languages, Is.SupersetOf(new[] { "en", "es", "fr", "de", "pt", "it", "nl", "ar" }));
}
