using System.Text;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// The "billion laughs" policy QA sent (/tmp/qa2/y/bomb.yaml): each level is a list of nine aliases of the level before,
/// so nine levels are under 400 bytes and expand to 9^9 (387 million) strings. Unguarded, it took 24 GB.
/// </summary>
internal static class YamlBomb
{
    /// <summary>Long enough for a refusal, far too short for an expansion of even six levels.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="work"/> on a pool thread and fails the test when it is not done within <see cref="Budget"/>:
    /// .NET cannot abort a runaway test, so a regression fails here instead of hanging the run until the OOM killer.
    /// </summary>
    public static T Within<T>(Func<T> work)
    {
        var task = Task.Run(work);
        Assert.That(task.Wait(Budget), Is.True, $"not done within {Budget.TotalSeconds} s");
        return task.Result;
    }

    /// <summary>Line 2 holds the first anchor (<c>a: &amp;a [...]</c>); line 3 the first alias.</summary>
    public static string Policy(int levels = 9)
    {
        var text = new StringBuilder("version: 1\n");
        text.Append("a: &a [").AppendJoin(',', Enumerable.Repeat("\"lol\"", 9)).Append("]\n");
        for (var level = 1; level < levels; level++)
        {
            char name = (char)('a' + level), previous = (char)('a' + level - 1);
            text.Append($"{name}: &{name} [").AppendJoin(',', Enumerable.Repeat($"*{previous}", 9)).Append("]\n");
        }
        return text.Append("rules: []\n").ToString();
    }
}
