using System;
using System.Text;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// Writes C# text with four-space indentation and <c>\n</c> line endings, whatever the platform, so the
/// generated source is byte-for-byte deterministic.
/// </summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";

    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>Writes one line at the current indentation; an empty line carries no trailing spaces.</summary>
    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            for (int i = 0; i < _depth; i++)
            {
                _text.Append(IndentUnit);
            }

            _text.Append(text);
        }

        _text.Append('\n');
    }

    /// <summary>
    /// Writes a block of lines, each at the current indentation plus its own leading spaces. Carriage returns are
    /// dropped, so a template written in a CRLF checkout produces the same text.
    /// </summary>
    public void Lines(string block)
    {
        foreach (string line in block.Split('\n'))
        {
            Line(line.TrimEnd('\r', ' '));
        }
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, and indents what follows.</summary>
    public void Open(string header)
    {
        Line(header);
        Line("{");
        _depth++;
    }

    /// <summary>Closes the innermost block opened with <see cref="Open"/>.</summary>
    public void Close()
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("No block is open.");
        }

        _depth--;
        Line("}");
    }

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();
}
