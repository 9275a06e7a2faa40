using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>What the holder's bodies put in its collection fields, recorded as they are analysed (concurrently).</summary>
internal sealed partial class InnerStrategyAliases
{
    /// <summary>A call on a collection field: an add stores its strategy arguments; a range added is not traced.</summary>
    private void RecordCall(IOperation operation)
    {
        var invocation = (IInvocationOperation)operation;
        if (CollectionOf(invocation.Instance) is not { } collection)
        {
            return;
        }

        if (CollectionAddMethods.Names.Contains(invocation.TargetMethod.Name))
        {
            RecordArguments(collection, invocation);
        }
        else if (invocation.Arguments.Any(argument => argument.Parameter is { } parameter && InnerStrategyTypes.HowHeld(parameter.Type, _contract) != InnerStrategyHolding.None))
        {
            MarkUntraced(collection); // AddRange, InsertRange, UnionWith: strategies of unknown origin; Contains and Remove take one and add none
        }
    }

    /// <summary>
    /// An assignment: to a collection field as a whole (its new elements), to one of its elements, or of a local or
    /// parameter to a single field (which makes that variable the field's strategy wherever it is added).
    /// </summary>
    private void RecordAssignment(IOperation operation)
    {
        var assignment = (ISimpleAssignmentOperation)operation;
        if (_inner.WholeFieldOf(assignment.Target) is { } whole)
        {
            if (_collections.Contains(whole))
            {
                RecordWhole(whole, assignment.Value);
            }
            else if (_singles.Contains(whole) && VariableOf(assignment.Value) is { } variable)
            {
                _assignedTo.GetOrAdd(variable, _ => new ConcurrentBag<IFieldSymbol>()).Add(whole);
            }
        }
        else if (_inner.FieldOf(assignment.Target) is { } element && _collections.Contains(element))
        {
            RecordElement(element, assignment.Value);
        }
    }

    /// <summary>A field's or auto-property's initializer: a collection's first elements, or a primary constructor's parameter kept in a single field.</summary>
    private void RecordInitializer(IOperation operation)
    {
        var (fields, value) = operation switch
        {
            IFieldInitializerOperation field => (field.InitializedFields.Select(f => f.OriginalDefinition), field.Value),
            IPropertyInitializerOperation property => (property.InitializedProperties.Select(_inner.BackingFieldOf).OfType<IFieldSymbol>(), property.Value),
            _ => (Enumerable.Empty<IFieldSymbol>(), operation),
        };

        foreach (IFieldSymbol field in fields)
        {
            if (_collections.Contains(field))
            {
                RecordWhole(field, value);
            }
            else if (_singles.Contains(field) && VariableOf(value) is { } variable)
            {
                _assignedTo.GetOrAdd(variable, _ => new ConcurrentBag<IFieldSymbol>()).Add(field);
            }
        }
    }

    /// <summary>
    /// A read of a collection field as a whole. Read for its elements, its count or to add to it, it stays where the
    /// holder can see what goes in; handed to a method, kept in a local or returned, it may be given strategies out of
    /// sight.
    /// </summary>
    private void RecordUse(IOperation operation)
    {
        if (CollectionOf(operation) is not { } collection)
        {
            return;
        }

        IOperation child = operation;
        IOperation? parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        bool inSight = parent switch
        {
            IInvocationOperation call => call.Instance == child,
            IPropertyReferenceOperation property => property.Instance == child,
            IArrayElementReferenceOperation element => element.ArrayReference == child,
            IForEachLoopOperation loop => loop.Collection == child,
            ISimpleAssignmentOperation assignment => assignment.Target == child,
            IBinaryOperation or IIsPatternOperation or ILockOperation => true,
            _ => false,
        };

        if (!inSight)
        {
            MarkUntraced(collection);
        }
    }

    /// <summary>The elements of a value that becomes the whole collection: an array, a collection expression, a collection initializer.</summary>
    private void RecordWhole(IFieldSymbol collection, IOperation value)
    {
        IOperation stored = value.WithoutConversions();

        // Collection expressions have no operation interface in the Roslyn the analyzers build against: read their syntax.
        if (stored.Syntax is CollectionExpressionSyntax expression)
        {
            foreach (CollectionElementSyntax element in expression.Elements)
            {
                IOperation? elementValue = element is ExpressionElementSyntax { Expression: var syntax }
                    ? stored.Descendants().FirstOrDefault(descendant => descendant.Syntax == syntax)
                    : null; // a spread: a range of unknown origin
                if (elementValue is null)
                {
                    MarkUntraced(collection);
                }
                else
                {
                    RecordElement(collection, elementValue);
                }
            }

            return;
        }

        switch (stored)
        {
            case ILiteralOperation or IDefaultValueOperation:
                return; // null: no elements
            case IArrayCreationOperation array:
                foreach (IOperation element in array.Initializer?.ElementValues ?? ImmutableArray<IOperation>.Empty)
                {
                    RecordElement(collection, element);
                }

                return;
            case IObjectCreationOperation creation:
                RecordCreation(collection, creation);
                return;
            case IInvocationOperation call when SymbolEqualityComparer.Default.Equals(CollectionOf(call.Instance), collection):
                return; // _pools = _pools.Add(pool): RecordCall reads the call
            default:
                MarkUntraced(collection);
                return;
        }
    }

    /// <summary>A new collection: what its constructor copies is untraced; its initializer's adds and indexed stores are elements.</summary>
    private void RecordCreation(IFieldSymbol collection, IObjectCreationOperation creation)
    {
        if (creation.Arguments.Any(argument => argument.Parameter is { } parameter && InnerStrategyTypes.HowHeld(parameter.Type, _contract) != InnerStrategyHolding.None))
        {
            MarkUntraced(collection);
        }

        if (creation.Initializer is not { } initializer)
        {
            return;
        }

        foreach (IOperation entry in initializer.Initializers)
        {
            switch (entry)
            {
                case IInvocationOperation add:
                    RecordArguments(collection, add);
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true } } indexed:
                    RecordElement(collection, indexed.Value);
                    break;
                default:
                    MarkUntraced(collection);
                    break;
            }
        }
    }

    /// <summary>
    /// An add's arguments: each given for a strategy parameter is an element (a dictionary's key is not). An add that
    /// takes its strategy from a factory (<c>GetOrAdd(key, _ =&gt; new …)</c>) or a range is untraced.
    /// </summary>
    private void RecordArguments(IFieldSymbol collection, IInvocationOperation add)
    {
        bool stored = false;
        foreach (IArgumentOperation argument in add.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            InnerStrategyHolding holding = InnerStrategyTypes.HowHeld(parameter.Type, _contract);
            if (holding == InnerStrategyHolding.Itself)
            {
                RecordElement(collection, argument.Value);
                stored = true;
            }
            else if (holding != InnerStrategyHolding.None || parameter.Type.TypeKind == TypeKind.Delegate)
            {
                MarkUntraced(collection);
            }
        }

        if (!stored)
        {
            MarkUntraced(collection);
        }
    }

    /// <summary>One element stored: a single field's strategy, a local's or parameter's, nothing (null), or something untraced.</summary>
    private void RecordElement(IFieldSymbol collection, IOperation value)
    {
        IOperation stored = value.WithoutConversions();
        ISymbol? source = _inner.WholeFieldOf(stored) is { } field && _singles.Contains(field) ? field : VariableOf(stored);
        if (source is not null)
        {
            _elements.GetOrAdd(collection, _ => new ConcurrentBag<ISymbol>()).Add(source);
        }
        else if (stored is not (ILiteralOperation or IDefaultValueOperation))
        {
            MarkUntraced(collection);
        }
    }

    private void MarkUntraced(IFieldSymbol collection) => _untraced.TryAdd(collection, true);

    /// <summary>The collection field <paramref name="operation"/> reads as a whole; null for anything else.</summary>
    private IFieldSymbol? CollectionOf(IOperation? operation) =>
        _inner.WholeFieldOf(operation) is { } field && _collections.Contains(field) ? field : null;

    private static ISymbol? VariableOf(IOperation operation) => operation.WithoutConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };
}
