using Microsoft.AspNetCore.Http;

namespace ContactCenter.Channels.Live;

/// <summary>
/// Whether the user of an open live stream is still signed in. The host's sign-in check runs once
/// per request, and a live stream is one request that lasts for hours: without this, a user
/// disabled or re-roled by an administrator would go on receiving events until they reload.
/// The stream asks before every write (events and heartbeats) and ends when the answer is no.
/// </summary>
public interface ILiveSignInCheck
{
    /// <summary>Whether the user of <paramref name="http"/> may still receive events.</summary>
    ValueTask<bool> IsStillSignedInAsync(HttpContext http);
}

/// <summary>The open live streams of this node, for the host to end a user's at once when an administrator changes that user.</summary>
public interface ILiveStreams
{
    /// <summary>Ends every live stream of <paramref name="userName"/> open on this node (other nodes end theirs at their next <see cref="ILiveSignInCheck"/>).</summary>
    void EndStreamsOf(string userName);
}
