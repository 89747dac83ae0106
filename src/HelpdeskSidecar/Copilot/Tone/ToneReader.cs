using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Tone;

/// <summary>
/// Offline sentiment and urgency from word lists, with negation ("not happy" counts against, "not urgent" not
/// at all) and intensifiers ("very angry"). It reports the words that triggered each reading so that a policy
/// routing angry or urgent tickets to a human can say why. English lists with the commonest words of the other
/// supported languages; a model does better when one is configured.
/// </summary>
internal static class ToneReader
{
    public const string Version = "lexicon-negation/v1";
    private const int NegationWindow = 3;

    private static readonly Dictionary<string, double> Sentiment = new(StringComparer.Ordinal)
    {
        // negative
        ["angry"] = -2, ["furious"] = -3, ["terrible"] = -2, ["awful"] = -2, ["horrible"] = -2, ["worst"] = -3,
        ["unacceptable"] = -3, ["disappointed"] = -2, ["disappointing"] = -2, ["ridiculous"] = -2, ["useless"] = -2,
        ["scam"] = -3, ["frustrated"] = -2, ["frustrating"] = -2, ["annoyed"] = -2, ["upset"] = -2, ["disgusted"] = -3,
        ["rude"] = -2, ["hate"] = -2, ["bad"] = -1, ["poor"] = -1, ["broken"] = -1, ["damaged"] = -1, ["wrong"] = -1,
        ["never"] = -1, ["again"] = -0.5, ["fed"] = -1, ["joke"] = -2, ["pathetic"] = -3, ["incompetent"] = -3,
        ["enfadado"] = -2, ["inaceptable"] = -3, ["wütend"] = -2, ["inakzeptabel"] = -3, ["furieux"] = -3, ["inacceptable"] = -3,
        // positive
        ["great"] = 2, ["love"] = 2, ["happy"] = 2, ["excellent"] = 3, ["amazing"] = 3, ["perfect"] = 2, ["good"] = 1,
        ["pleased"] = 2, ["appreciate"] = 1, ["helpful"] = 2, ["thanks"] = 0.5, ["thank"] = 0.5, ["wonderful"] = 3,
        ["satisfied"] = 2, ["gracias"] = 0.5, ["merci"] = 0.5, ["danke"] = 0.5,
    };

    private static readonly Dictionary<string, double> Urgency = new(StringComparer.Ordinal)
    {
        ["urgent"] = 2, ["urgently"] = 2, ["asap"] = 2, ["immediately"] = 2, ["emergency"] = 3, ["critical"] = 2,
        ["now"] = 0.5, ["today"] = 1, ["tonight"] = 1, ["deadline"] = 1, ["lawyer"] = 2, ["legal"] = 1, ["chargeback"] = 2,
        ["fraud"] = 2, ["stolen"] = 2, ["unauthorized"] = 2, ["unauthorised"] = 2, ["hacked"] = 3, ["locked"] = 1,
        ["quickly"] = 1, ["hurry"] = 1, ["dringend"] = 2, ["urgente"] = 2, ["sofort"] = 2, ["inmediatamente"] = 2,
    };

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "cant", "cannot", "wont", "without", "hardly", "nothing",
    };

    private static readonly Dictionary<string, double> Intensifiers = new(StringComparer.Ordinal)
    {
        ["very"] = 1.5, ["extremely"] = 2, ["really"] = 1.3, ["so"] = 1.3, ["absolutely"] = 1.7, ["totally"] = 1.5,
    };

    public static (Feeling Sentiment, Feeling Urgency) Read(string text)
    {
        var tokens = QueryText.Tokens(text).ToList();
        var (sentiment, sentimentWords) = Score(tokens, Sentiment, flipOnNegation: true);
        var (urgency, urgencyWords) = Score(tokens, Urgency, flipOnNegation: false);
        var exclamations = text.Count(c => c == '!');
        if (exclamations >= 3 && sentiment < 0)
        {
            sentiment -= 1;
            sentimentWords.Add("!!!");
        }
        var s = Math.Round(Math.Tanh(sentiment / 3), 3);
        var u = Math.Round(Math.Tanh(Math.Max(0, urgency) / 3), 3);
        var sentimentLevel = sentiment <= -1.5 ? "negative" : sentiment >= 1.5 ? "positive" : "neutral";
        var urgencyLevel = urgency >= 3 ? "high" : urgency >= 1.5 ? "medium" : "low";
        return (new Feeling(sentimentLevel, s, sentimentWords), new Feeling(urgencyLevel, u, urgencyWords));
    }

    private static (double Score, List<string> Triggers) Score(List<string> tokens, Dictionary<string, double> lexicon, bool flipOnNegation)
    {
        double score = 0;
        var triggers = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!lexicon.TryGetValue(tokens[i], out var weight))
                continue;
            var negator = Enumerable.Range(Math.Max(0, i - NegationWindow), i - Math.Max(0, i - NegationWindow))
                .Select(j => tokens[j]).LastOrDefault(Negations.Contains);
            var intensity = i > 0 && Intensifiers.TryGetValue(tokens[i - 1], out var f) ? f : 1;
            if (negator is not null)
            {
                // "not happy" is mildly negative; "not urgent" is simply not urgent.
                if (!flipOnNegation)
                    continue;
                weight = weight > 0 ? -weight * 0.75 : -weight * 0.25;
                triggers.Add($"{negator} {tokens[i]}");
            }
            else
            {
                triggers.Add(intensity > 1 ? $"{tokens[i - 1]} {tokens[i]}" : tokens[i]);
            }
            score += weight * intensity;
        }
        return (score, triggers);
    }
}
