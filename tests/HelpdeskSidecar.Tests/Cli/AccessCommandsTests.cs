using System.Net;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>users add</c> and <c>tokens create|list|revoke</c> through the real command line, then used against the real host.</summary>
[NonParallelizable] // redirects Console
public class AccessCommandsTests
{
    [Test]
    public async Task UsersAdd_PasswordFromStdin_UserCanSignInToTheConsole()
    {
        using var data = new TempDirectory();
        var add = await CliRunner.RunWithInputAsync("a-long-password\n",
            "users", "add", "--name", "manager1", "--role", "Manager", "--password-stdin", $"--Sidecar:DataDir={data.Path}");
        Assert.That(add.Code, Is.EqualTo(SidecarCli.Ok), add.Error);
        Assert.That(add.Out, Does.Contain("Added user 'manager1' (Manager)"));
        Assert.That(add.Out + add.Error, Does.Not.Contain("a-long-password"));

        await using var host = await SidecarTestHost.StartAsync([$"Sidecar:DataDir={data.Path}"]);
        using var session = new ConsoleSession(host.BaseAddress);
        using var signIn = await session.SignInAsync("manager1", "a-long-password");
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var reports = await session.Client.GetAsync("/console/reports");
        Assert.That(reports.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UsersAdd_SameNameAgain_ResetsRoleAndPassword()
    {
        using var data = new TempDirectory();
        var dir = $"--Sidecar:DataDir={data.Path}";
        var first = await CliRunner.RunWithInputAsync("first-password\n", "users", "add", "--name", "lee", "--role", "Agent", "--password-stdin", dir);
        var second = await CliRunner.RunWithInputAsync("second-password\n", "users", "add", "--name", "LEE", "--role", "OpsLead", "--password-stdin", dir);
        Assert.That((first.Code, second.Code), Is.EqualTo((SidecarCli.Ok, SidecarCli.Ok)), first.Error + second.Error);
        Assert.That(second.Out, Does.Contain("Updated user"));

        await using var app = Program.BuildHost([dir]);
        var users = app.Services.GetRequiredService<UserStore>();
        Assert.That(await users.SignInAsync("lee", "first-password", CancellationToken.None), Is.Null);
        Assert.That((await users.SignInAsync("lee", "second-password", CancellationToken.None))?.Role, Is.EqualTo(Role.OpsLead));
        Assert.That(await users.ListAsync(CancellationToken.None), Has.Count.EqualTo(1));
    }

    [TestCase("short\n", new[] { "--name", "x1", "--role", "Agent", "--password-stdin" }, "at least 8")]
    [TestCase("\n", new[] { "--name", "x1", "--role", "Agent", "--password-stdin" }, "empty")]
    [TestCase("", new[] { "--name", "x1", "--role", "Agent", "--password-stdin" }, "empty")]
    [TestCase("        \n", new[] { "--name", "x1", "--role", "Agent", "--password-stdin" }, "blank")]
    [TestCase("\t \t \t \t \n", new[] { "--name", "x1", "--role", "Agent", "--password-stdin" }, "blank")]
    [TestCase("long-enough-1\n", new[] { "--name", "x1", "--role", "Agent" }, "--password-stdin")]
    [TestCase("long-enough-1\n", new[] { "--name", "x1", "--role", "Boss", "--password-stdin" }, "--role must be one of Agent|OpsLead|Manager|Admin")]
    [TestCase("long-enough-1\n", new[] { "--role", "Agent", "--password-stdin" }, "--name is required")]
    [TestCase("long-enough-1\n", new[] { "--name", "has space", "--role", "Agent", "--password-stdin" }, "--name must be")]
    [TestCase("long-enough-1\n", new[] { "--name", "semi;colon", "--role", "Agent", "--password-stdin" }, "--name must be")]
    public async Task UsersAdd_BadInput_Exit2WithOneLineReason(string stdin, string[] args, string reason)
    {
        using var data = new TempDirectory();
        var result = await CliRunner.RunWithInputAsync(stdin, ["users", "add", .. args, $"--Sidecar:DataDir={data.Path}"]);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(result.Error.Trim(), Does.Contain(reason).And.Not.Contain("\n"));
    }

    [Test]
    public async Task UsersAdd_UnicodeName_AcceptedAndTheSameNameInOtherCaseResetsIt()
    {
        using var data = new TempDirectory();
        var dir = $"--Sidecar:DataDir={data.Path}";
        var add = await CliRunner.RunWithInputAsync("zoes-password\n", "users", "add", "--name", "zoë", "--role", "Agent", "--password-stdin", dir);
        Assert.That(add.Code, Is.EqualTo(SidecarCli.Ok), add.Error);
        var again = await CliRunner.RunWithInputAsync("zoes-new-password\n", "users", "add", "--name", "ZOE\u0308", "--role", "Manager", "--password-stdin", dir);
        Assert.That(again.Code, Is.EqualTo(SidecarCli.Ok), again.Error);
        Assert.That(again.Out, Does.Contain("Updated user"));

        await using var host = await SidecarTestHost.StartAsync([$"Sidecar:DataDir={data.Path}"]);
        Assert.That((await host.Service<UserStore>().ListAsync(CancellationToken.None)).Select(u => u.Name), Is.EqualTo(new[] { "zoë" }));
        using var session = new ConsoleSession(host.BaseAddress);
        using var signIn = await session.SignInAsync("Zoë", "zoes-new-password");
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task UsersDisableEnableRemove_ListShowsTheState_DisabledCannotSignIn()
    {
        using var data = new TempDirectory();
        var dir = $"--Sidecar:DataDir={data.Path}";
        Assert.That((await CliRunner.RunWithInputAsync("kim-password\n", "users", "add", "--name", "kim", "--role", "Agent", "--password-stdin", dir)).Code, Is.EqualTo(SidecarCli.Ok));

        var disable = await CliRunner.RunAsync("users", "disable", "--name", "KIM", dir);
        Assert.That(disable.Code, Is.EqualTo(SidecarCli.Ok), disable.Error);
        var list = await CliRunner.RunAsync("users", "list", dir);
        Assert.That(list.Out, Does.Contain("kim\tAgent").And.Contain("disabled"));
        await using (var app = Program.BuildHost([dir]))
            Assert.That(await app.Services.GetRequiredService<UserStore>().SignInAsync("kim", "kim-password", CancellationToken.None), Is.Null);

        Assert.That((await CliRunner.RunAsync("users", "enable", "--name", "kim", dir)).Code, Is.EqualTo(SidecarCli.Ok));
        list = await CliRunner.RunAsync("users", "list", dir);
        Assert.That(list.Out, Does.Contain("active").And.Not.Contain("disabled"));
        await using (var app = Program.BuildHost([dir]))
            Assert.That(await app.Services.GetRequiredService<UserStore>().SignInAsync("kim", "kim-password", CancellationToken.None), Is.Not.Null);

        var remove = await CliRunner.RunAsync("users", "remove", "--name", "kim", dir);
        Assert.That(remove.Code, Is.EqualTo(SidecarCli.Ok), remove.Error);
        list = await CliRunner.RunAsync("users", "list", dir);
        Assert.That(list.Out, Does.Not.Contain("kim"));
    }

    [TestCase("disable")]
    [TestCase("enable")]
    [TestCase("remove")]
    public async Task UsersChange_UnknownUser_Exit2NamingIt(string verb)
    {
        using var data = new TempDirectory();
        var result = await CliRunner.RunAsync("users", verb, "--name", "ghost", $"--Sidecar:DataDir={data.Path}");
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(result.Error.Trim(), Does.Contain("no user 'ghost'").And.Not.Contain("\n"));
        var noName = await CliRunner.RunAsync("users", verb, $"--Sidecar:DataDir={data.Path}");
        Assert.That(noName.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(noName.Error, Does.Contain("--name"));
    }

    [Test]
    public async Task TokensCreate_PrintsTokenOnce_ItWorks_ThenRevokeStopsIt()
    {
        using var data = new TempDirectory();
        var dir = $"--Sidecar:DataDir={data.Path}";
        var create = await CliRunner.RunAsync("tokens", "create", "--role", "Manager", "--name", "reporting", dir);
        Assert.That(create.Code, Is.EqualTo(SidecarCli.Ok), create.Error);
        var token = create.Out.Trim();
        Assert.That(token, Does.StartWith(TokenStore.Prefix).And.Not.Contain(" "));
        Assert.That(create.Error, Does.Contain("shown only once"));

        var list = await CliRunner.RunAsync("tokens", "list", dir);
        Assert.That(list.Out, Does.Contain("reporting\tManager").And.Contain("active").And.Not.Contain(token));
        var id = list.Out.Split('\t')[0].Trim();

        await using (var host = await SidecarTestHost.StartAsync([$"Sidecar:DataDir={data.Path}"]))
        {
            using var client = host.ClientWithToken(token);
            using var ok = await client.GetAsync("/api/reports/acceptance?format=csv");
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var revoke = await CliRunner.RunAsync("tokens", "revoke", id, dir);
        Assert.That(revoke.Code, Is.EqualTo(SidecarCli.Ok), revoke.Error);
        await using (var host = await SidecarTestHost.StartAsync([$"Sidecar:DataDir={data.Path}"]))
        {
            using var client = host.ClientWithToken(token);
            using var refused = await client.GetAsync("/api/reports/acceptance?format=csv");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }

    [TestCase(new[] { "tokens", "create" }, "--role is required")]
    [TestCase(new[] { "tokens", "create", "--role", "root" }, "--role must be one of")]
    [TestCase(new[] { "tokens", "revoke", "abc" }, "needs a token id")]
    [TestCase(new[] { "tokens", "revoke", "999" }, "no active token 999")]
    public async Task Tokens_BadInput_Exit2(string[] args, string reason)
    {
        using var data = new TempDirectory();
        var result = await CliRunner.RunAsync([.. args, $"--Sidecar:DataDir={data.Path}"]);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(result.Error, Does.Contain(reason));
    }
}
