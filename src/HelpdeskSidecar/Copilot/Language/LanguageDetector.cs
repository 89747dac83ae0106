using System.Text;

namespace HelpdeskSidecar.Copilot.Language;

/// <summary>A detected language (ISO 639-1, or <c>und</c> when the text says too little) and how sure the detector is.</summary>
internal sealed record DetectedLanguage(string Code, double Confidence);

/// <summary>
/// Offline language identification by character n-grams (1–3, inside padded words), one naive Bayes profile per
/// language built from <see cref="LanguageSamples"/>. Arabic is told by its script first. The confidence is a
/// softmax over the per-n-gram average log-likelihoods, so it does not reach 1 just because a text is long.
/// </summary>
internal static class LanguageDetector
{
    public const string Version = "char-ngram-nb/v1";
    private const int MinLetters = 8;
    private const double Sharpness = 12;

    private static readonly Lazy<IReadOnlyList<Profile>> Profiles = new(Build);

    public static IReadOnlyList<string> Languages => Profiles.Value.Select(p => p.Code).ToList();

    public static DetectedLanguage Detect(string text)
    {
        var letters = text.Count(char.IsLetter);
        if (letters < MinLetters)
            return new DetectedLanguage("und", 0);
        var arabic = text.Count(c => c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F');
        if (arabic * 2 > letters)
            return new DetectedLanguage("ar", Math.Round((double)arabic / letters, 3));

        var grams = NGrams(text).ToList();
        var scores = Profiles.Value.Where(p => p.Code != "ar").Select(p => (p.Code, Score: grams.Average(p.LogProbability))).ToList();
        var max = scores.Max(s => s.Score);
        var weights = scores.Select(s => (s.Code, W: Math.Exp(Sharpness * (s.Score - max)))).ToList();
        var sum = weights.Sum(w => w.W);
        var best = weights.MaxBy(w => w.W);
        return new DetectedLanguage(best.Code, Math.Round(best.W / sum, 3));
    }

    private static IEnumerable<string> NGrams(string text)
    {
        var word = new StringBuilder();
        foreach (var ch in text.Append(' '))
        {
            if (char.IsLetter(ch))
            {
                word.Append(char.ToLowerInvariant(ch));
                continue;
            }
            if (word.Length == 0)
                continue;
            var padded = " " + word + " ";
            for (var n = 1; n <= 3; n++)
            {
                for (var i = 0; i + n <= padded.Length; i++)
                {
                    var gram = padded.Substring(i, n);
                    if (gram != " ")
                        yield return gram;
                }
            }
            word.Clear();
        }
    }

    private static IReadOnlyList<Profile> Build() =>
        LanguageSamples.Text.Select(p =>
        {
            var counts = NGrams(p.Value).GroupBy(g => g, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return new Profile(p.Key, counts, counts.Values.Sum());
        }).ToList();

    private sealed record Profile(string Code, Dictionary<string, int> Counts, int Total)
    {
        // Add-0.5 smoothing over a vocabulary the size of the profile plus room for unseen n-grams.
        public double LogProbability(string gram) =>
            Math.Log((Counts.GetValueOrDefault(gram) + 0.5) / (Total + 0.5 * (Counts.Count + 5000)));
    }
}
