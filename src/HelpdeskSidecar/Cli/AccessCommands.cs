using System.CommandLine;
using System.Globalization;
using HelpdeskSidecar.Access;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>users add --name &lt;n&gt; --role &lt;r&gt; --password-stdin</c> (adds the user, or resets the role and password of an
/// existing one), <c>users list</c>, <c>users disable|enable|remove --name &lt;n&gt;</c>; <c>tokens create --role &lt;r&gt; [--name &lt;n&gt;]</c> (prints the token once, alone on
/// standard output), <c>tokens list</c>, <c>tokens revoke &lt;id&gt;</c>.
/// </summary>
internal static class AccessCommands
{
    private static readonly string RoleList = string.Join("|", Roles.Names);

    public static Command Users()
    {
        var users = new Command("users", "Console users and their roles.");
        var name = new Option<string?>("--name") { Description = "The sign-in name (letters, digits, . _ @ -; case-insensitive)." };
        var role = new Option<string?>("--role") { Description = RoleList };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var add = new Command("add", "Add a user, or reset an existing user's role and password.") { TreatUnmatchedTokensAsErrors = false };
        add.Options.Add(name);
        add.Options.Add(role);
        add.Options.Add(passwordStdin);
        add.SetAction((parse, ct) => SidecarCli.GuardAsync(() =>
            AddUserAsync(parse.GetValue(name), parse.GetValue(role), parse.GetValue(passwordStdin), parse.UnmatchedTokens.ToArray(), ct)));
        users.Subcommands.Add(add);

        var list = new Command("list", "List users (never their passwords).") { TreatUnmatchedTokensAsErrors = false };
        list.SetAction((parse, ct) => SidecarCli.GuardAsync(() => ListUsersAsync(parse.UnmatchedTokens.ToArray(), ct)));
        users.Subcommands.Add(list);

        users.Subcommands.Add(ChangeUser("disable", "Disable a user: they cannot sign in, and their console sessions end at once.", name));
        users.Subcommands.Add(ChangeUser("enable", "Enable a disabled user again (they sign in anew).", name));
        users.Subcommands.Add(ChangeUser("remove", "Remove a user: their console sessions end at once.", name));
        return users;
    }

    private static Command ChangeUser(string verb, string description, Option<string?> name)
    {
        var command = new Command(verb, description) { TreatUnmatchedTokensAsErrors = false };
        command.Options.Add(name);
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => ChangeUserAsync(verb, parse.GetValue(name), parse.UnmatchedTokens.ToArray(), ct)));
        return command;
    }

    public static Command Tokens()
    {
        var tokens = new Command("tokens", "API tokens for /api (Authorization: Bearer <token>).");
        var role = new Option<string?>("--role") { Description = RoleList };
        var name = new Option<string?>("--name") { Description = "What the token is for; the audit records it as who made a change." };
        var create = new Command("create", "Create a token and print it once.") { TreatUnmatchedTokensAsErrors = false };
        create.Options.Add(role);
        create.Options.Add(name);
        create.SetAction((parse, ct) => SidecarCli.GuardAsync(() =>
            CreateTokenAsync(parse.GetValue(role), parse.GetValue(name), parse.UnmatchedTokens.ToArray(), ct)));
        tokens.Subcommands.Add(create);

        var list = new Command("list", "List tokens (id, name, role, created, revoked).") { TreatUnmatchedTokensAsErrors = false };
        list.SetAction((parse, ct) => SidecarCli.GuardAsync(() => ListTokensAsync(parse.UnmatchedTokens.ToArray(), ct)));
        tokens.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "The token's id, as 'tokens list' shows it." };
        var revoke = new Command("revoke", "Revoke a token: it authenticates nothing from now on.") { TreatUnmatchedTokensAsErrors = false };
        revoke.Arguments.Add(id);
        revoke.SetAction((parse, ct) => SidecarCli.GuardAsync(() => RevokeTokenAsync(parse.GetValue(id)!, parse.UnmatchedTokens.ToArray(), ct)));
        tokens.Subcommands.Add(revoke);
        return tokens;
    }

    private static async Task<int> AddUserAsync(string? name, string? roleText, bool passwordStdin, string[] hostArgs, CancellationToken ct)
    {
        var userName = CheckName(name, "--name");
        var role = ParseRole(roleText);
        if (!passwordStdin)
            throw new UsageException("users add needs --password-stdin (the password is read from standard input, never from the command line)");
        var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r');
        if (PasswordHasher.Check(password) is { } problem)
            throw new UsageException($"--password-stdin: {problem}");
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        var created = await app.Services.GetRequiredService<UserStore>().UpsertAsync(userName, role, password!, ct);
        Console.WriteLine(created ? $"Added user '{userName}' ({role})." : $"Updated user '{userName}': role {role}, new password.");
        return SidecarCli.Ok;
    }

    private static async Task<int> ListUsersAsync(string[] hostArgs, CancellationToken ct)
    {
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        foreach (var u in await app.Services.GetRequiredService<UserStore>().ListAsync(ct))
            Console.WriteLine($"{u.Name}\t{u.Role}\t{u.CreatedAt:yyyy-MM-dd HH:mm}Z\t{(u.DisabledAt is { } d ? $"disabled {d:yyyy-MM-dd HH:mm}Z" : "active")}");
        return SidecarCli.Ok;
    }

    private static async Task<int> ChangeUserAsync(string verb, string? name, string[] hostArgs, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new UsageException($"users {verb} needs --name");
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        var users = app.Services.GetRequiredService<UserStore>();
        var done = verb switch
        {
            "remove" => await users.RemoveAsync(name, ct),
            _ => await users.SetDisabledAsync(name, verb == "disable", ct) is not null,
        };
        if (!done)
            throw new UsageException($"--name: there is no user '{Hosting.Excerpt.Of(name)}' (see 'users list')");
        Console.WriteLine(verb switch
        {
            "remove" => $"Removed user '{name}'; their console sessions have ended.",
            "disable" => $"Disabled user '{name}': they cannot sign in, and their console sessions have ended.",
            _ => $"Enabled user '{name}'.",
        });
        return SidecarCli.Ok;
    }

    private static async Task<int> CreateTokenAsync(string? roleText, string? name, string[] hostArgs, CancellationToken ct)
    {
        var role = ParseRole(roleText);
        var tokenName = name is null ? null : CheckName(name, "--name");
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        var (token, secret) = await app.Services.GetRequiredService<TokenStore>().CreateAsync(role, tokenName, ct);
        // The secret alone on standard output, so `TOKEN=$(… tokens create --role Admin)` works; the note goes to stderr.
        Console.WriteLine(secret);
        await Console.Error.WriteLineAsync($"Created token {token.Id} '{token.Name}' ({token.Role}). It is shown only once: store it now.");
        return SidecarCli.Ok;
    }

    private static async Task<int> ListTokensAsync(string[] hostArgs, CancellationToken ct)
    {
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        foreach (var t in await app.Services.GetRequiredService<TokenStore>().ListAsync(ct))
            Console.WriteLine($"{t.Id}\t{t.Name}\t{t.Role}\t{t.CreatedAt:yyyy-MM-dd HH:mm}Z\t{(t.RevokedAt is { } r ? $"revoked {r:yyyy-MM-dd HH:mm}Z" : "active")}");
        return SidecarCli.Ok;
    }

    private static async Task<int> RevokeTokenAsync(string idText, string[] hostArgs, CancellationToken ct)
    {
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new UsageException($"tokens revoke needs a token id (a number from 'tokens list'), not '{idText}'");
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        if (!await app.Services.GetRequiredService<TokenStore>().RevokeAsync(id, ct))
            throw new UsageException($"there is no active token {id}");
        Console.WriteLine($"Revoked token {id}.");
        return SidecarCli.Ok;
    }

    private static Role ParseRole(string? text) =>
        Roles.TryParse(text, out var role) ? role
        : throw new UsageException(text is null ? $"--role is required ({RoleList})" : $"--role must be one of {RoleList}, not '{text}'");

    private static string CheckName(string? name, string option) =>
        name is null ? throw new UsageException($"{option} is required")
        : UserNames.Parse(name) ?? throw new UsageException($"{option} must be {UserNames.Rule}, not '{Hosting.Excerpt.Of(name)}'");
}
