using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// Test sources mark where a diagnostic is expected: <c>{|DINO1002:Heads = 5|}</c> expects DINO1002 exactly on the text
/// <c>Heads = 5</c>. <see cref="Parse"/> strips the marks and returns the expected ids and spans.
/// </summary>
internal static class DiagnosticMarkup
{
    private static readonly Regex s_mark = new(@"\{\|(DINO\d{4}):(.*?)\|\}", RegexOptions.Singleline);

    public static (string Source, List<(string Id, int Start, string Text)> Expected) Parse(string marked)
    {
        var expected = new List<(string, int, string)>();
        var source = new StringBuilder();
        int last = 0;
        foreach (Match m in s_mark.Matches(marked))
        {
            source.Append(marked, last, m.Index - last);
            expected.Add((m.Groups[1].Value, source.Length, m.Groups[2].Value));
            source.Append(m.Groups[2].Value);
            last = m.Index + m.Length;
        }
        source.Append(marked, last, marked.Length - last);
        return (source.ToString(), expected);
    }
}
