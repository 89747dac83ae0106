namespace HelpdeskSidecar.Copilot.Redaction;

/// <summary>The kinds of personal data the redactor finds; the placeholder prefix is the upper-case name.</summary>
internal enum PiiKind
{
    Secret,
    Email,
    Iban,
    Card,
    Ssn,
    IpAddress,
    Phone,

    /// <summary>The requester's own name, known from the ticket (free text is not searched for other names).</summary>
    Name,
}

internal static class PiiKindNames
{
    public static string Placeholder(PiiKind kind) => kind switch
    {
        PiiKind.Secret => "SECRET",
        PiiKind.Email => "EMAIL",
        PiiKind.Iban => "IBAN",
        PiiKind.Card => "CARD",
        PiiKind.Ssn => "SSN",
        PiiKind.IpAddress => "IP",
        PiiKind.Phone => "PHONE",
        PiiKind.Name => "NAME",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
