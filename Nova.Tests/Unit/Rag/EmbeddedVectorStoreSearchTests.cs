using Nova.Services.Rag.VectorStores;

namespace Nova.Tests.Unit.Rag;

/// <summary>
/// The embedded store shortlists by sign bits (in larger stores), narrows down by 8-bit codes and
/// re-scores the best candidates exactly: its answers must still be those of an exact float scan, at
/// embedding sizes where the SIMD paths run.
/// </summary>
public sealed class EmbeddedVectorStoreSearchTests : IAsyncLifetime
{
    private const int Dimensions = 384;
    private readonly Random _random = new(7);
    private RagTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await RagTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData(32)]
    [InlineData(Dimensions)]
    [InlineData(390)]
    public void EightBitDotProductsMatchTheScalarSum(int dimensions)
    {
        var vector = Unit(Gaussian(dimensions));
        var query = Unit(Gaussian(dimensions));
        var codes = new byte[dimensions];
        var queryCodes = new sbyte[dimensions];
        Int8Codes.Encode(vector, codes);
        Int8Codes.EncodeQuery(query, queryCodes);

        var expected = 0;
        for (var i = 0; i < dimensions; i++)
        {
            expected += codes[i] * queryCodes[i];
        }

        Assert.Equal(expected, Int8Codes.RawDot(codes, queryCodes));
    }

    [Theory]
    [InlineData(3_000)]
    [InlineData(25_000)]
    public async Task SearchFindsWhatAnExactScanFindsWithExactScores(int rows)
    {
        var collection = Guid.NewGuid();
        var centres = Enumerable.Range(0, rows / 100).Select(_ => Unit(Gaussian(Dimensions))).ToArray();
        var vectors = Enumerable.Range(0, rows).Select(i => Near(centres[i % centres.Length], 0.6f)).ToArray();
        var records = vectors.Select(v => new VectorRecord(Guid.NewGuid(), Guid.NewGuid(), [collection], v)).ToList();
        var store = new EmbeddedVectorStore(_database.Contexts);
        await store.EnsureReadyAsync(Dimensions);
        await store.UpsertAsync(records);

        for (var q = 0; q < 20; q++)
        {
            var query = Near(vectors[_random.Next(vectors.Length)], 0.5f);
            var exact = records.Select(r => (r.ChunkId, Score: Dot(query, r.Vector.Span)))
                .OrderByDescending(x => x.Score).Take(10).ToList();

            var hits = await store.SearchAsync(query, [collection], 10);

            Assert.Equal(exact.Select(x => x.ChunkId), hits.Select(h => h.ChunkId));
            Assert.Equal(exact[0].Score, hits[0].Score, 0.0001f);
        }
    }

    private float[] Near(float[] centre, float spread)
    {
        var noise = Gaussian(centre.Length);
        return Unit([.. centre.Select((c, i) => c + spread / MathF.Sqrt(centre.Length) * noise[i])]);
    }

    private float[] Gaussian(int dimensions) =>
        [.. Enumerable.Range(0, dimensions).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble())))];

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }
}
