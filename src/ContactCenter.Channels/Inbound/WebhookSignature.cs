using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContactCenter.Channels.Inbound;

/// <summary>
/// The signature of a webhook call or an outbound post: <c>X-CC-Signature: sha256=&lt;hex&gt;</c>,
/// the HMAC-SHA256 with the shared secret of <c>{X-CC-Timestamp}.{raw body}</c>, where the
/// timestamp is Unix seconds. Signing the timestamp with the body is what makes an old request
/// useless to replay: changing the timestamp breaks the signature.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-CC-Signature";

    public const string TimestampHeader = "X-CC-Timestamp";

    private const string Prefix = "sha256=";

    /// <summary>The header value (<c>sha256=&lt;lowercase hex&gt;</c>) for a body sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToHexStringLower(Compute(secret, timestamp, body));
    }

    /// <summary>Why a request is not authentic, or null when it is.</summary>
    public static string? Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan maxSkew)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(signatureHeader) || string.IsNullOrEmpty(timestampHeader))
        {
            return $"the {SignatureHeader} and {TimestampHeader} headers are required";
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return $"{TimestampHeader} must be Unix seconds";
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(timestamp, 0, 253_402_300_799));
        if ((now - sentAt).Duration() > maxSkew)
        {
            return $"{TimestampHeader} is more than {maxSkew.TotalMinutes:0} minutes from the server's time (a replay, or a wrong clock)";
        }

        if (!signatureHeader.StartsWith(Prefix, StringComparison.Ordinal) || signatureHeader.Length != Prefix.Length + 64)
        {
            return $"{SignatureHeader} must be sha256=<64 hex digits>";
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signatureHeader.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return $"{SignatureHeader} must be sha256=<64 hex digits>";
        }

        return CryptographicOperations.FixedTimeEquals(given, Compute(secret, timestamp, body)) ? null : "the signature does not match the body";
    }

    private static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var material = new byte[prefix.Length + body.Length];
        prefix.CopyTo(material, 0);
        body.CopyTo(material.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), material);
    }
}
