using System.Numerics.Tensors;

namespace Nova.Bench.Rag;

/// <summary>
/// Unit vectors clustered as embeddings of a real corpus are (about 100 per cluster around random
/// centres), and queries that are noisy copies of stored vectors, so the nearest neighbours are close
/// together: the hard case for search on rounded (8-bit) vectors.
/// </summary>
public sealed class SyntheticVectors(int dimensions, int seed)
{
    private const int PerCluster = 100;
    private const float ClusterSpread = 0.6f;
    private const float QueryNoise = 0.5f;

    private readonly Random _random = new(seed);

    public float[][] Corpus(int count)
    {
        var centres = Enumerable.Range(0, Math.Max(1, count / PerCluster)).Select(_ => Unit(Gaussian(1))).ToArray();
        return [.. Enumerable.Range(0, count).Select(_ => Near(centres[_random.Next(centres.Length)], ClusterSpread))];
    }

    public float[][] Queries(float[][] corpus, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Near(corpus[_random.Next(corpus.Length)], QueryNoise))];

    private float[] Near(float[] centre, float spread)
    {
        var vector = Gaussian(spread / MathF.Sqrt(dimensions));
        TensorPrimitives.Add(vector, centre, vector);
        return Unit(vector);
    }

    private float[] Gaussian(float sigma)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            // Box–Muller.
            var u = 1 - _random.NextDouble();
            var v = _random.NextDouble();
            vector[i] = sigma * (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }
        return vector;
    }

    private static float[] Unit(float[] vector)
    {
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }
}
