using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// MEM2003: takes the lock a <c>[GuardedBy]</c> field names around the statement that touches it, the way that lock is
/// taken (<see cref="GuardAcquisition"/>): <c>lock (gate) { ... }</c> for a monitor; the write lock (or, for a statement
/// that only reads, the read lock) of a <c>ReaderWriterLockSlim</c> and <c>Wait</c> / <c>await WaitAsync</c> on a
/// <c>SemaphoreSlim(1, 1)</c>, each released in a <c>finally</c>. Not offered for any other lock (<c>lock</c> on it
/// would take a monitor its holders never take), for a local declaration (the local would go out of scope),
/// outside a block (an expression-bodied member), nor for a semaphore in an async member of an unsafe context (it
/// could not be awaited there).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInLockFix))]
[Shared]
public sealed class WrapInLockFix : DocumentFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.GuardedByViolation);

    /// <inheritdoc/>
    protected override string Title => "Take the lock around the statement";

    /// <inheritdoc/>
    protected override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) =>
        LockName(diagnostic) is not null
        && Acquire(diagnostic) is { } acquire
        && SyntaxHelpers.StatementInBlock(FindNode(root, diagnostic)) is { } statement
        && statement is not LocalDeclarationStatementSyntax
        && !(acquire == GuardAcquisition.Semaphore && IsInAsync(model, statement) && IsUnsafeContext(statement));

    /// <summary>Whether <paramref name="statement"/> is in an async method, where a semaphore is awaited.</summary>
    private static bool IsInAsync(SemanticModel model, StatementSyntax statement) =>
        model.GetEnclosingSymbol(statement.SpanStart) is IMethodSymbol { IsAsync: true };

    /// <summary>
    /// Whether <paramref name="statement"/> is in an unsafe context (an <c>unsafe</c> block, member or type around it),
    /// where <c>await</c> is an error (CS4004): a semaphore's <c>await WaitAsync()</c> would not compile there, and
    /// <c>Wait()</c> would block a thread inside an async method, so no fix is offered.
    /// </summary>
    private static bool IsUnsafeContext(StatementSyntax statement) =>
        statement.Ancestors().Any(node => node switch
        {
            UnsafeStatementSyntax => true,
            MemberDeclarationSyntax member => member.Modifiers.Any(SyntaxKind.UnsafeKeyword),
            LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.UnsafeKeyword),
            _ => false,
        });

    /// <inheritdoc/>
    protected override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var locks = new Dictionary<StatementSyntax, (string Name, string Acquire)>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (SyntaxHelpers.StatementInBlock(FindNode(root, diagnostic)) is { } statement && LockName(diagnostic) is { } name && Acquire(diagnostic) is { } acquire)
            {
                // A statement that reads and writes a field guarded by a reader-writer lock takes the write lock.
                bool keepsWrite = locks.TryGetValue(statement, out var earlier) && earlier.Name == name && earlier.Acquire == GuardAcquisition.WriteLock;
                locks[statement] = (name, keepsWrite ? GuardAcquisition.WriteLock : acquire);
            }
        }

        // One lock per statement; a statement inside another one being wrapped is covered by the outer lock.
        StatementSyntax[] outermost = locks.Keys.Where(s => !s.Ancestors().OfType<StatementSyntax>().Any(locks.ContainsKey)).ToArray();
        SyntaxNode fixedRoot = root.TrackNodes(outermost);
        foreach (StatementSyntax original in outermost)
        {
            (string name, string acquire) = locks[original];
            bool inAsync = IsInAsync(model, original);
            fixedRoot = fixedRoot.ReplaceNode(fixedRoot.GetCurrentNode(original)!, Wrap(original, name, acquire, inAsync));
        }

        return fixedRoot;
    }

    private static string? LockName(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(ThreadSafetyRules.LockNameProperty, out string? name) ? name : null;

    private static string? Acquire(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(GuardAcquisition.Property, out string? acquire) ? acquire : null;

    /// <summary>The statements that replace <paramref name="statement"/>: it, holding the lock.</summary>
    private static IEnumerable<StatementSyntax> Wrap(StatementSyntax statement, string lockName, string acquire, bool inAsync)
    {
        BlockSyntax body = Block(statement.WithoutTrivia());
        if (acquire == GuardAcquisition.Monitor)
        {
            return [Annotate(LockStatement(ParseExpression(lockName), body).WithTriviaFrom(statement))];
        }

        // Taken before the try: if taking it throws, the finally must not release a lock this thread does not hold.
        (string enter, string exit) = acquire switch
        {
            GuardAcquisition.WriteLock => ("EnterWriteLock()", "ExitWriteLock()"),
            GuardAcquisition.ReadLock => ("EnterReadLock()", "ExitReadLock()"),
            _ => (inAsync ? "WaitAsync()" : "Wait()", "Release()"),
        };

        string take = (acquire == GuardAcquisition.Semaphore && inAsync ? "await " : string.Empty) + lockName + "." + enter + ";";
        StatementSyntax release = ParseStatement(lockName + "." + exit + ";");
        return
        [
            Annotate(ParseStatement(take).WithLeadingTrivia(statement.GetLeadingTrivia())),
            Annotate(TryStatement(body, default, FinallyClause(Block(release))).WithTrailingTrivia(statement.GetTrailingTrivia())),
        ];
    }

    private static StatementSyntax Annotate(StatementSyntax statement) => statement.WithAdditionalAnnotations(Formatter.Annotation);
}
