using System.Text;
using ContactCenter.Channels.Inbound;
using FluentAssertions;

namespace ContactCenter.Channels.Tests;

public class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"messageId":"m1"}""");

    [Fact]
    public void Verify_SignedBodyAtNow_IsAuthentic()
    {
        var signature = WebhookSignature.Sign("s3cret", Now.ToUnixTimeSeconds(), Body);

        signature.Should().MatchRegex("^sha256=[0-9a-f]{64}$");
        WebhookSignature.Verify("s3cret", Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, Now, TimeSpan.FromMinutes(5)).Should().BeNull();
    }

    [Fact]
    public void Verify_TimestampMovedForward_FailsBecauseTheTimestampIsSigned()
    {
        var signature = WebhookSignature.Sign("s3cret", Now.AddMinutes(-10).ToUnixTimeSeconds(), Body);

        WebhookSignature.Verify("s3cret", Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, Now, TimeSpan.FromMinutes(5))
            .Should().Be("the signature does not match the body");
    }

    [Theory]
    [InlineData("sha256=zz")]
    [InlineData("md5=00")]
    [InlineData("sha256=gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg")]
    public void Verify_MalformedSignature_IsRejectedWithoutThrowing(string header)
    {
        WebhookSignature.Verify("s3cret", Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), header, Body, Now, TimeSpan.FromMinutes(5)).Should().NotBeNull();
    }

    [Fact]
    public void Verify_TimestampFromTheFuture_IsRejected()
    {
        var at = Now.AddMinutes(6).ToUnixTimeSeconds();
        WebhookSignature.Verify("s3cret", at.ToString(System.Globalization.CultureInfo.InvariantCulture), WebhookSignature.Sign("s3cret", at, Body), Body, Now, TimeSpan.FromMinutes(5)).Should().Contain("minutes");
    }
}
