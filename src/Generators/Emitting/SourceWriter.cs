using System;
using System.Text;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// Writes C# text with four-space indentation and <c>\n</c> line endings, whatever the platform, so the
/// generated source is byte-for-byte deterministic. Indentation belongs to the writer alone: a template is written
/// at the current depth, and a block opens and closes its own braces (<see cref="Block"/>), so no template leaves a
/// brace for another to close.
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

    /// <summary>
    /// Writes <paramref name="header"/> and an opening brace and indents what follows, until the returned scope is
    /// disposed, which writes the closing brace: <c>using (writer.Block("if (x)")) { ... }</c>.
    /// </summary>
    public Scope Block(string header)
    {
        Line(header);
        Line("{");
        _depth++;
        return new Scope(this, closingBrace: true);
    }

    /// <summary>Indents what follows by one level, without braces (a <c>case</c> body), until the scope is disposed.</summary>
    public Scope Indented()
    {
        _depth++;
        return new Scope(this, closingBrace: false);
    }

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();

    private void Close(bool closingBrace)
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("No block is open.");
        }

        _depth--;
        if (closingBrace)
        {
            Line("}");
        }
    }

    /// <summary>An open block or indentation; disposing it closes it.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly bool _closingBrace;

        internal Scope(SourceWriter writer, bool closingBrace)
        {
            _writer = writer;
            _closingBrace = closingBrace;
        }

        /// <summary>Ends the indentation and, for a block, writes its closing brace.</summary>
        public void Dispose() => _writer.Close(_closingBrace);
    }
}
