namespace DinoCompiled.Training;

/// <summary>The teacher's exponential moving average, one pass over the flat buffers: θt ← m·θt + (1 − m)·θs.</summary>
public static unsafe class TeacherEma
{
    /// <summary>Updates every element, frozen tensors included (they are equal in both networks anyway).</summary>
    public static void Update(float* teacher, float* student, long length, float momentum)
    {
        float rest = 1f - momentum;
        for (long i = 0; i < length; i++) teacher[i] = momentum * teacher[i] + rest * student[i];
    }
}
