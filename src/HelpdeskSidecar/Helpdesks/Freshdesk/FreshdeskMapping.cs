using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>Freshdesk wire shapes → the provider-neutral ticket, and our plain-text note → Freshdesk's HTML body.</summary>
internal static partial class FreshdeskMapping
{
    /// <summary>Ticket <c>source</c> 10 is an outbound email: the description was written by an agent.</summary>
    private const int OutboundEmailSource = 10;

    /// <summary>The description is not one of the conversations in Freshdesk; it becomes the first comment, as in Zendesk.</summary>
    public const string DescriptionCommentId = "description";

    public static HelpdeskTicket ToTicket(FreshdeskTicket ticket, IReadOnlyList<FreshdeskConversation> conversations)
    {
        var requesterId = ticket.RequesterId ?? ticket.Requester?.Id;
        var created = ticket.CreatedAt ?? DateTimeOffset.MinValue;
        var description = ticket.DescriptionText ?? TextOf(ticket.Description) ?? "";
        var comments = new List<HelpdeskComment>(conversations.Count + 1)
        {
            new(DescriptionCommentId, requesterId?.ToString(CultureInfo.InvariantCulture),
                ticket.Source == OutboundEmailSource ? AuthorRole.Agent : AuthorRole.EndUser, IsPublic: true, description, created),
        };
        comments.AddRange(conversations
            .OrderBy(c => c.CreatedAt ?? created).ThenBy(c => c.Id)
            .Select(c => new HelpdeskComment(
                c.Id.ToString(CultureInfo.InvariantCulture),
                c.UserId?.ToString(CultureInfo.InvariantCulture),
                RoleOf(c, requesterId),
                !c.Private,
                c.BodyText ?? TextOf(c.Body) ?? "",
                c.CreatedAt ?? created)));
        return new HelpdeskTicket(
            "freshdesk",
            ticket.Id.ToString(CultureInfo.InvariantCulture),
            ticket.Subject ?? "",
            description,
            StatusName(ticket.Status),
            ticket.Tags ?? [],
            ticket.ProductId?.ToString(CultureInfo.InvariantCulture),
            SourceName(ticket.Source),
            requesterId?.ToString(CultureInfo.InvariantCulture),
            ticket.Requester?.Name,
            ticket.Requester?.Language,
            comments)
        {
            OrganizationId = ticket.CompanyId?.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// The contact's tags and <c>custom_fields</c>; the company's <c>custom_fields</c> plus its built-in
    /// <c>account_tier</c>, <c>health_score</c> and <c>industry</c> as organization fields (companies have no tags).
    /// </summary>
    public static HelpdeskCustomer ToCustomer(FreshdeskContact? contact, FreshdeskCompany? company)
    {
        var companyFields = new List<KeyValuePair<string, JsonElement>>(company?.CustomFields ?? []);
        foreach (var (name, value) in new[] { ("account_tier", company?.AccountTier), ("health_score", company?.HealthScore), ("industry", company?.Industry) })
        {
            if (value is not null)
                companyFields.Add(new(name, JsonSerializer.SerializeToElement(value, FreshdeskJsonContext.Default.String)));
        }
        return new HelpdeskCustomer(contact?.Tags ?? [], HelpdeskCustomer.Fields(contact?.CustomFields), [], HelpdeskCustomer.Fields(companyFields));
    }

    /// <summary>The requester (or any other contact writing in, <c>incoming</c>) is the customer; everyone else is staff.</summary>
    private static AuthorRole RoleOf(FreshdeskConversation c, long? requesterId)
    {
        if (c.UserId is null)
            return AuthorRole.System;
        return c.UserId == requesterId || c.Incoming ? AuthorRole.EndUser : AuthorRole.Agent;
    }

    /// <summary>Freshdesk's numbered statuses in the neutral (Zendesk) vocabulary the pipeline checks.</summary>
    public static string StatusName(int? status) => status switch
    {
        2 => "open",
        3 => "pending",
        4 => "solved",
        5 => "closed",
        null => "",
        _ => "open", // custom statuses (6+) are open work
    };

    private static string? SourceName(int? source) => source switch
    {
        1 => "email",
        2 => "web",
        3 => "voice",
        7 => "chat",
        9 => "web_widget",
        10 => "email",
        null => null,
        _ => "other",
    };

    /// <summary>Our note is plain text with line breaks; Freshdesk's note body is HTML.</summary>
    public static string NoteHtml(string text)
    {
        var html = new StringBuilder(text.Length + 64);
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (html.Length > 0)
                html.Append("<br>");
            html.Append(WebUtility.HtmlEncode(line));
        }
        return html.ToString();
    }

    private static string? TextOf(string? html) =>
        html is null ? null : WebUtility.HtmlDecode(Tags().Replace(html.Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase), " ")).Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
