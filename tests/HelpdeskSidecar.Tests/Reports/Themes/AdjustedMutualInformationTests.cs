using HelpdeskSidecar.Reports.Themes;

namespace HelpdeskSidecar.Tests.Reports.Themes;

/// <summary>
/// AMI against values worked out by hand (natural logs; the hypergeometric expectation summed term by term in the
/// comments), so a wrong expectation, entropy or normalisation shows as a wrong number, not just a different one.
/// </summary>
public class AdjustedMutualInformationTests
{
    [Test]
    public void Score_IdenticalPartitionsUnderOtherNames_IsOne()
    {
        Assert.That(AdjustedMutualInformation.Score(new[] { "a", "a", "b", "b", "c" }, new[] { 7, 7, 3, 3, 9 }), Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void Score_CrossedHalves_IsMinusOneHalf()
    {
        // U = {0,0,1,1}, V = {0,1,0,1}: MI = 0; H(U) = H(V) = ln 2.
        // E[MI]: each of the 4 cells, nij ∈ {1, 2}: nij = 1 adds 1/4·ln(4·1/4) = 0; nij = 2 adds 2/4·ln 2 with
        // P = 2!2!2!2! / (4! 2! 0! 0! 2!) = 1/6, so E[MI] = 4 · (ln 2 / 12) = ln 2 / 3.
        // AMI = (0 − ln2/3) / (ln2 − ln2/3) = −1/2.
        Assert.That(AdjustedMutualInformation.ExpectedMutualInformation([2, 2], [2, 2], 4), Is.EqualTo(Math.Log(2) / 3).Within(1e-12));
        Assert.That(AdjustedMutualInformation.Score(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }), Is.EqualTo(-0.5).Within(1e-12));
    }

    [Test]
    public void Score_OneClassSplitInTwo_ArithmeticIsFourSevenths_MaxIsTwoFifths()
    {
        // U = {0,0,1,1}, V = {0,0,1,2}: MI = ln 2 (cells 2, 1, 1); H(U) = ln 2, H(V) = 1.5 ln 2.
        // E[MI]: a=2,b=2 cells (×2): ln2/12 each (as above); a=2,b=1 cells (×4): nij = 1 only, 1/4·ln 2 with
        // P = 2!1!2!3! / (4! 1! 1! 0! 2!) = 1/2, so 1/8·ln 2 each. E[MI] = ln2/6 + ln2/2 = 2/3·ln 2.
        // arithmetic: (1 − 2/3) / (1.25 − 2/3) = 4/7; max: (1 − 2/3) / (1.5 − 2/3) = 2/5.
        int[] u = [0, 0, 1, 1], v = [0, 0, 1, 2];
        Assert.That(AdjustedMutualInformation.ExpectedMutualInformation([2, 2], [2, 1, 1], 4), Is.EqualTo(2 * Math.Log(2) / 3).Within(1e-12));
        Assert.That(AdjustedMutualInformation.Score(u, v), Is.EqualTo(4.0 / 7).Within(1e-12));
        Assert.That(AdjustedMutualInformation.Score(u, v, AmiNormalization.Max), Is.EqualTo(0.4).Within(1e-12));
    }

    [Test]
    public void Score_IsSymmetric_AndIgnoresLabelNames()
    {
        int[] u = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
        int[] v = [1, 1, 0, 0, 2, 2, 2, 2, 3, 3];
        var score = AdjustedMutualInformation.Score(u, v);
        Assert.That(AdjustedMutualInformation.Score(v, u), Is.EqualTo(score).Within(1e-12));
        Assert.That(AdjustedMutualInformation.Score(u.Select(x => "c" + x).ToArray(), v.Select(x => 10 - x).ToArray()), Is.EqualTo(score).Within(1e-12));
        Assert.That(score, Is.GreaterThan(0).And.LessThan(1));
    }

    [Test]
    public void Score_BothOneCluster_IsOne_AsScikitLearn()
    {
        Assert.That(AdjustedMutualInformation.Score(new[] { 1, 1, 1 }, new[] { 5, 5, 5 }), Is.EqualTo(1.0));
    }

    [Test]
    public void Score_EverythingInOneGroupAgainstRealClasses_IsZero()
    {
        // MI = 0 and E[MI] = 0 when one side has a single cluster: nothing explained, nothing expected.
        Assert.That(AdjustedMutualInformation.Score(new[] { 0, 0, 1, 1, 2, 2 }, new[] { 0, 0, 0, 0, 0, 0 }), Is.EqualTo(0.0).Within(1e-12));
    }

    [Test]
    public void Score_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => AdjustedMutualInformation.Score(new[] { 0, 1 }, new[] { 0 }));
    }
}
