using System.Reflection;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// On a machine without Chromium a browser fixture's [SetUp] stops at <see cref="Browser.LaunchAsync"/> (the test is
/// skipped), so its [TearDown] runs with nothing started. It must then do nothing instead of failing the skipped test,
/// or the README's test command goes red on a fresh machine.
/// </summary>
public sealed class BrowserFixtureTeardownTests
{
    private static IEnumerable<TestCaseData> BrowserFixtures() =>
        typeof(BrowserFixtureTeardownTests).Assembly.GetTypes()
            .Where(type => type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Any(field => field.FieldType == typeof(Browser)))
            .Where(type => type.GetMethods().Any(method => method.GetCustomAttribute<TearDownAttribute>() is not null))
            .Select(type => new TestCaseData(type).SetArgDisplayNames(type.Name));

    [Test]
    public void BrowserFixtures_AreFound()
    {
        Assert.That(BrowserFixtures().Count(), Is.GreaterThanOrEqualTo(2), "the browser fixtures with a [TearDown]");
    }

    [TestCaseSource(nameof(BrowserFixtures))]
    public void TearDown_AfterSetUpStoppedBeforeAnythingStarted_DoesNothing(Type fixture)
    {
        var instance = Activator.CreateInstance(fixture)!;
        foreach (var tearDown in fixture.GetMethods().Where(method => method.GetCustomAttribute<TearDownAttribute>() is not null))
        {
            Assert.DoesNotThrowAsync(
                async () =>
                {
                    if (tearDown.Invoke(instance, null) is Task pending)
                    {
                        await pending;
                    }
                },
                $"{fixture.Name}.{tearDown.Name} with nothing started");
        }
    }
}
