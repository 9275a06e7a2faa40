using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1009: a <c>[MemoryStrategy]</c> class holds another strategy (a field or auto-property whose type is a strategy
/// or a collection of strategies) that its <c>[Cleanup]</c> method never reads, itself or through the class's own
/// methods it calls, or it has no <c>[Cleanup]</c>. A strategy built from strategies owns them: it must dispose them
/// when it is disposed, after which their own <c>Dispose</c>, refused while the owner served
/// (<c>StatusTracker.AttachTo</c>), goes through.
/// </summary>
/// <remarks>
/// The check is that the cleanup reads the field, not that it disposes every element: a <c>foreach</c> over a
/// collection, a <c>?.Dispose()</c>, or handing the field to a helper all count. The cleanup's helpers are found with
/// <see cref="OwnCallGraph"/>, at any depth, as MEM1011 finds a core's routing helpers. A strategy kept both in a field
/// and in a collection field filled from it (<see cref="InnerStrategyAliases"/>) is disposed through either: a loop over
/// the collection disposes the field's strategy, and disposing every field the collection was filled from disposes
/// the collection's.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InnerStrategyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InnerStrategyNotDisposed);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        InnerStrategyTypes.Register(context, AnalyzeType);
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, InnerStrategyFields inner, KnownSymbols known)
    {
        IMethodSymbol? cleanup = inner.Type.GetMembers().OfType<IMethodSymbol>()
            .FirstOrDefault(method => method.GetAttributes().Any(a => known.GetMarker(a.AttributeClass) == MarkerKind.Cleanup));

        // Every call or creation that hands the holder itself to code of another type, read once for two uses. A helper
        // object the holder hands itself to may hold a reference back to it, not a strategy of its own: such helper
        // fields are not judged. And per method of the type, the methods of other types it hands itself to
        // (Teardown.Run(this)): what they read of this type's fields, the cleanup reads too.
        var boundHelpers = new ConcurrentDictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
        var handedTo = new ConcurrentDictionary<IMethodSymbol, ConcurrentDictionary<IMethodSymbol, bool>>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(
            operation =>
            {
                (IMethodSymbol? target, ImmutableArray<IArgumentOperation> arguments) = operation.Operation switch
                {
                    IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
                    IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
                    _ => (null, ImmutableArray<IArgumentOperation>.Empty),
                };
                if (target is null || !arguments.Any(argument => InnerStrategyFields.HandsHolder(argument.Value, trackerToo: false)))
                {
                    return;
                }

                if (inner.HelperHandedTo(target, arguments, trackerToo: false) is { } helper)
                {
                    boundHelpers.TryAdd(helper, true);
                }

                if (cleanup is not null
                    && !SymbolEqualityComparer.Default.Equals(target.ContainingType?.OriginalDefinition, inner.Type)
                    && OwnCallGraph.MethodOf(operation.ContainingSymbol) is { } method)
                {
                    handedTo.GetOrAdd(method, _ => new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default)).TryAdd(target.OriginalDefinition, true);
                }
            },
            OperationKind.Invocation,
            OperationKind.ObjectCreation);
        IEnumerable<IFieldSymbol> Judged()
        {
            var bound = new HashSet<IFieldSymbol>(boundHelpers.Keys.SelectMany(inner.HelperFieldsOf), SymbolEqualityComparer.Default);
            return inner.Fields.Where(field => !bound.Contains(field));
        }

        if (cleanup is null)
        {
            context.RegisterSymbolEndAction(end => Report(end, inner, Judged(), "has no [Cleanup] method"));
            return;
        }

        // Per method of the type, the fields it reads; once the type is done, those read by the cleanup and the
        // methods it reaches count as disposed.
        OwnCallGraph graph = OwnCallGraph.Register(context);
        InnerStrategyAliases aliases = InnerStrategyAliases.Register(context, inner, known.IMemoryStrategy!);
        var reads = new ConcurrentDictionary<IMethodSymbol, ConcurrentDictionary<IFieldSymbol, bool>>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(
            operation =>
            {
                if (inner.FieldOf(operation.Operation) is { } field && OwnCallGraph.MethodOf(operation.ContainingSymbol) is { } method)
                {
                    reads.GetOrAdd(method, _ => new ConcurrentDictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default)).TryAdd(field, true);
                }
            },
            OperationKind.FieldReference,
            OperationKind.PropertyReference);
        context.RegisterSymbolEndAction(end =>
        {
            var disposed = new HashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
            var handed = new List<IMethodSymbol>();
            foreach (IMethodSymbol method in graph.Reach([cleanup]).Keys)
            {
                if (reads.TryGetValue(method, out ConcurrentDictionary<IFieldSymbol, bool>? fields))
                {
                    disposed.UnionWith(fields.Keys);
                }

                if (handedTo.TryGetValue(method, out ConcurrentDictionary<IMethodSymbol, bool>? targets))
                {
                    handed.AddRange(targets.Keys);
                }
            }

            disposed.UnionWith(FieldsReadBy(handed, inner, end.Compilation, end.CancellationToken));

            // A strategy kept both in a field and in a collection is disposed through either.
            HashSet<IFieldSymbol> reached = aliases.Extend(disposed);
            Report(end, inner, Judged().Where(field => !reached.Contains(field)), $"its [Cleanup] method '{cleanup.Name}' does not dispose it");
        });
    }

    /// <summary>The most methods of other types read for one cleanup: helpers handed the holder, and what they call.</summary>
    private const int MaxHelperMethods = 64;

    /// <summary>
    /// The holder's fields that <paramref name="methods"/> (of other types, handed the holder: <c>Teardown.Run(this)</c>)
    /// read, through the parameter or any other way, with the methods of the compilation they call, at any depth.
    /// </summary>
    private static IEnumerable<IFieldSymbol> FieldsReadBy(List<IMethodSymbol> methods, InnerStrategyFields inner, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (methods.Count == 0)
        {
            yield break;
        }

        var bodies = new SourceBodies(compilation);
        var seen = new HashSet<IMethodSymbol>(methods, SymbolEqualityComparer.Default);
        var pending = new Queue<IMethodSymbol>(seen);
        while (pending.Count != 0)
        {
            foreach (IOperation body in bodies.Of(pending.Dequeue(), includeGenerated: false, cancellationToken))
            {
                foreach (IOperation operation in body.DescendantsAndSelf())
                {
                    if (operation is IFieldReferenceOperation or IPropertyReferenceOperation && inner.FieldOf(operation) is { } field)
                    {
                        yield return field;
                    }
                    else if (operation is IInvocationOperation { TargetMethod: var callee }
                        && !SymbolEqualityComparer.Default.Equals(callee.ContainingType?.OriginalDefinition, inner.Type)
                        && seen.Count < MaxHelperMethods
                        && seen.Add(callee.OriginalDefinition))
                    {
                        pending.Enqueue(callee.OriginalDefinition);
                    }
                }
            }
        }
    }

    private static void Report(SymbolAnalysisContext context, InnerStrategyFields inner, IEnumerable<IFieldSymbol> fields, string why)
    {
        foreach (IFieldSymbol field in fields)
        {
            if (AutoProperties.SourceLocation(field) is { } location)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InnerStrategyNotDisposed, location, inner.Type.Name, AutoProperties.SourceName(field), why));
            }
        }
    }
}
