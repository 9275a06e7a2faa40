namespace MemoryStrategy.Package.Tests;

/// <summary>A fresh console project that references the packed package through a nuget.config, as a user's would.</summary>
public sealed class ConsumerProject
{
    private readonly IReadOnlyDictionary<string, string> _environment;

    private ConsumerProject(string directory, IReadOnlyDictionary<string, string> environment)
    {
        Directory = directory;
        _environment = environment;
    }

    public string Directory { get; }

    internal static ConsumerProject Create(PackedPackage package, string name, string source, string extraProperties)
    {
        string directory = System.IO.Directory.CreateDirectory(Path.Combine(package.Root, name)).FullName;
        // Like the README's nuget.config: the feed as a source. HOME's NuGet settings (see PackedPackage) supply the
        // fresh package cache and leave no online source.
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="memorystrategy-local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MemoryStrategy" Version="{package.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), source);

        // Keep the consumer independent of the repository's Directory.Build.props and central package management.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        return new ConsumerProject(directory, package.CommandEnvironment);
    }

    public (int ExitCode, string Output) Build() =>
        ProcessRunner.Run("dotnet", "build -c Release", Directory, TimeSpan.FromMinutes(5), _environment);

    public (int ExitCode, string Output) Run() =>
        ProcessRunner.Run("dotnet", "run -c Release --no-build", Directory, TimeSpan.FromMinutes(2), _environment);
}
