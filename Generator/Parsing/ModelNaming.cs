using System.Text;
using System.Text.RegularExpressions;

namespace DinoCompiled.Generator.Parsing;

/// <summary>The command-line name of a model: kebab case of the class name unless the attribute sets <c>Name</c>.</summary>
internal static class ModelNaming
{
    private static readonly Regex s_valid = new("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    public static bool IsValid(string name) => s_valid.IsMatch(name);

    /// <summary><c>VitSmall16</c> is <c>vit-small-16</c>; <c>FmnistTiny</c> is <c>fmnist-tiny</c>; <c>HTTPServer2</c> is <c>http-server-2</c>.</summary>
    public static string KebabCase(string className)
    {
        var text = new StringBuilder(className.Length + 8);
        for (int i = 0; i < className.Length; i++)
        {
            char c = className[i];
            if (c == '_') { AppendDash(text); continue; }
            if (i > 0 && StartsWord(className, i)) AppendDash(text);
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString().Trim('-');
    }

    private static bool StartsWord(string s, int i)
    {
        char previous = s[i - 1], c = s[i];
        if (char.IsDigit(c)) return char.IsLetter(previous);
        if (!char.IsUpper(c)) return char.IsDigit(previous);
        if (char.IsLower(previous) || char.IsDigit(previous)) return true;
        // The last capital of an acronym starts the next word: HTTPServer -> http-server.
        return char.IsUpper(previous) && i + 1 < s.Length && char.IsLower(s[i + 1]);
    }

    private static void AppendDash(StringBuilder text)
    {
        if (text.Length > 0 && text[text.Length - 1] != '-') text.Append('-');
    }
}
