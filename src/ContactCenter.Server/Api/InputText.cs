namespace ContactCenter.Server.Api;

/// <summary>Checks on free text from a client, shared by the routes that take it.</summary>
public static class InputText
{
    /// <summary>
    /// Whether <paramref name="text"/> holds a control character (C0 including CR, LF and ESC, DEL,
    /// C1): refused in references and ids, which end up in logs, file names and headers.
    /// </summary>
    public static bool HasControlCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Any(char.IsControl);
    }
}
