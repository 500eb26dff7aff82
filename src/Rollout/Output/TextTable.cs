using System.Text;

namespace Rollout.Output;

/// <summary>Columns padded to their widest cell, two spaces apart, as kubectl prints tables; the last column is not padded.</summary>
public static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows.Select(r => r.Select(Clean).ToList()));
        var widths = Enumerable.Range(0, headers.Count).Select(i => all.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                var cell = i < row.Count ? row[i] : "";
                text.Append(i == headers.Count - 1 ? cell : cell.PadRight(widths[i] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Control characters (from an annotation or a server message) cannot break the table or the terminal.</summary>
    private static string Clean(string cell) =>
        cell.Any(char.IsControl) ? new string(cell.Select(c => char.IsControl(c) ? ' ' : c).ToArray()) : cell;
}
