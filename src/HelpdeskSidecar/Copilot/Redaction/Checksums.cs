namespace HelpdeskSidecar.Copilot.Redaction;

/// <summary>The check digits that tell a card number or an IBAN from any other long number.</summary>
internal static class Checksums
{
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (d is < 0 or > 9)
                return false;
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /// <summary>ISO 13616: move the first four characters to the end, letters to 10..35, the number mod 97 is 1.</summary>
    public static bool IbanMod97(string compact)
    {
        if (compact.Length is < 15 or > 34)
            return false;
        var rearranged = compact[4..] + compact[..4];
        var remainder = 0;
        foreach (var ch in rearranged)
        {
            int value;
            if (char.IsAsciiDigit(ch))
                value = ch - '0';
            else if (char.IsAsciiLetterUpper(ch))
                value = ch - 'A' + 10;
            else
                return false;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }
}
