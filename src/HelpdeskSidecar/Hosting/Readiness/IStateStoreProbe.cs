namespace HelpdeskSidecar.Hosting.Readiness;

/// <summary>
/// The database that holds the sidecar's state, asked whether it answers. One implementation per storage provider
/// (<c>Sidecar:Storage:Provider</c>): <see cref="SqliteStateStoreProbe"/> for the embedded file, registered by
/// <c>AddReadiness</c> (inside <c>AddWebDefaults</c>, before every feature); another provider registers its own with
/// <c>AddSingleton</c> in <c>AddStorage</c>, and being the last registration, it is the one resolved.
/// </summary>
internal interface IStateStoreProbe
{
    /// <summary>The provider's name as <c>/readyz</c> shows it (<c>sqlite</c>, <c>postgres</c>).</summary>
    string Provider { get; }

    /// <summary>Opens a connection and runs a trivial query; throws when the database cannot be used.</summary>
    /// <returns>A short, secret-free description for <c>/readyz</c>, e.g. <c>sqlite, schema version 10</c>.</returns>
    Task<string> ProbeAsync(CancellationToken ct);
}
