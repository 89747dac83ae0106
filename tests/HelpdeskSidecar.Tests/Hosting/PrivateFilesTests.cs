using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Hosting;

/// <summary>
/// Customer data at rest is the sidecar user's only: the real files a real sidecar leaves behind, stat'ed. Unix only
/// (Windows has no file modes).
/// </summary>
[NonParallelizable] // one test sets the process umask while it starts a child
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PrivateFilesTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);

    [SetUp]
    public void UnixOnly()
    {
        if (OperatingSystem.IsWindows())
            Assert.Ignore("Windows has no Unix file modes; the data dir's ACL applies there.");
    }

    private static List<string> Modes(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Prepend(root)
            .Select(p => $"{Path.GetRelativePath(root, p)} {Convert.ToString((int)File.GetUnixFileMode(p), 8)}").Order().ToList();

    private static bool IsPrivate(string path) =>
        File.GetUnixFileMode(path) == (Directory.Exists(path) ? Folder : PrivateFile);

    [Test]
    public async Task Serve_EveryFileAndFolderItCreates_IsOwnerOnly()
    {
        using var temp = new TempDirectory();
        var dataDir = Path.Combine(temp.Path, "data");
        var policy = temp.File("policy.yaml", "version: 1\nrules:\n  - name: acme-live\n    match:\n      brand: [\"acme\"]\n    mode: live\n");
        File.SetUnixFileMode(policy, PrivateFile);
        SidecarProcess sidecar;
        // The child inherits the usual umask 022, as from a login shell: what it creates is its own doing.
        var before = SetUmask(0b000_010_010);
        try
        {
            sidecar = await SidecarProcess.StartAsync([$"Sidecar:DataDir={dataDir}", $"Sidecar:Policy:File={policy}", "Sidecar:Zendesk:WebhookSecrets:0=" + SidecarTestHost.Secret]);
        }
        finally
        {
            SetUmask(before);
        }
        await using (sidecar)
        {
            using var http = new HttpClient { BaseAddress = sidecar.BaseAddress };
            // The key ring (antiforgery on the sign-in form), the inbox (a webhook), and the policy file replaced through the API.
            using (var login = await http.GetAsync("/console/login"))
                Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            using (var webhook = await http.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-modes-1", 5151))))
                Assert.That(webhook.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), sidecar.Tail);
            var database = new Database(Options.Create(new SidecarOptions { DataDir = dataDir }));
            var (_, secret) = await new TokenStore(database, TimeProvider.System).CreateAsync(Role.Admin, "modes", CancellationToken.None);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            using var content = new StringContent("version: 1\nrules:\n  - name: all-shadow\n    match:\n      brand: [\"acme\"]\n    mode: shadow\n", Encoding.UTF8, "application/yaml");
            using (var put = await http.PutAsync("/api/policy", content))
                Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());

            var modes = Modes(dataDir);
            Assert.Multiple(() =>
            {
                foreach (var name in new[] { "sidecar.db", "sidecar.db-wal", "sidecar.db-shm", "hangfire.db", "sidecar.lock", "keys" })
                    Assert.That(Path.Exists(Path.Combine(dataDir, name)), Is.True, $"{name} exists: {string.Join(", ", modes)}");
                Assert.That(Directory.EnumerateFiles(Path.Combine(dataDir, "keys"), "key-*.xml"), Is.Not.Empty);
                Assert.That(Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories).Prepend(dataDir).Where(p => !IsPrivate(p)),
                    Is.Empty, $"every folder 0700 and every file 0600: {string.Join(", ", modes)}");
                Assert.That(File.ReadAllText(policy), Does.Contain("all-shadow"), "the policy was replaced");
                Assert.That(File.GetUnixFileMode(policy), Is.EqualTo(PrivateFile), "the replaced policy file stays 0600");
            });
        }
    }

    [Test]
    public async Task Start_OnADataDirOfAnOlderVersion_TightensItsFolderAndFiles()
    {
        using var temp = new TempDirectory();
        var dataDir = Path.Combine(temp.Path, "data");
        var open = Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(dataDir);
        File.SetUnixFileMode(dataDir, open);
        foreach (var name in new[] { "sidecar.db", "sidecar.lock" })
        {
            var path = temp.File(Path.Combine("data", name), "");
            File.SetUnixFileMode(path, PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        await using var host = await SidecarTestHost.StartAsync([$"Sidecar:DataDir={dataDir}"]);

        Assert.That(Modes(dataDir).Where(m => !IsPrivate(Path.Combine(dataDir, m[..m.LastIndexOf(' ')]))), Is.Empty, string.Join(", ", Modes(dataDir)));
        Assert.That(File.GetUnixFileMode(dataDir), Is.EqualTo(Folder));
    }

    [Test]
    public async Task PutPolicy_FileWithItsOwnMode_KeepsThatMode()
    {
        using var temp = new TempDirectory();
        var policy = temp.File("policy.yaml", "version: 1\nrules:\n  - name: acme-live\n    match:\n      brand: [\"acme\"]\n    mode: live\n");
        var groupReadable = PrivateFile | UnixFileMode.GroupRead;
        File.SetUnixFileMode(policy, groupReadable);
        await using var host = await SidecarTestHost.StartAsync([$"Sidecar:Policy:File={policy}"]);

        using var content = new StringContent("version: 1\nrules:\n  - name: all-shadow\n    match:\n      brand: [\"acme\"]\n    mode: shadow\n", Encoding.UTF8, "application/yaml");
        using var put = await host.Client.PutAsync("/api/policy", content);

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(File.ReadAllText(policy), Does.Contain("all-shadow"));
        Assert.That(File.GetUnixFileMode(policy), Is.EqualTo(groupReadable), "0640 stays 0640: the replacement takes the file's mode");
    }
}
