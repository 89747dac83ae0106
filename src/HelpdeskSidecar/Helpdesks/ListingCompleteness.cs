namespace HelpdeskSidecar.Helpdesks;

/// <summary>
/// Filled in while a paged listing is read: whether the client stopped at its page cap while the helpdesk still
/// offered another page. Whoever acts on what a listing leaves out (a knowledge sync deletes the articles it did
/// not see) must check it once the listing has been read: a cut-off listing is not the whole list.
/// </summary>
internal sealed class ListingCompleteness
{
    /// <summary>The page cap the listing stopped at; <c>null</c> while (and when) it ended on the helpdesk's last page.</summary>
    public int? StoppedAtPageLimit { get; private set; }

    public bool IsCutOff => StoppedAtPageLimit is not null;

    internal void CutOffAt(int pageLimit) => StoppedAtPageLimit = pageLimit;
}
