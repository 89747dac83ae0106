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
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
