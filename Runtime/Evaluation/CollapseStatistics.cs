using System;
using System.Globalization;

namespace DinoCompiled.Evaluation;

/// <summary>
/// Collapse signals of a DINO run, in nats, averaged over the batches given to a <see cref="CollapseMonitor"/>, and a
/// verdict. A healthy run has a teacher entropy well below ln K (sharp outputs) while the entropy of its mean output
/// stays high (different images use different outputs), and a KL between teacher and student that falls.
/// </summary>
/// <param name="OutDim">K, the head's output dimension.</param>
/// <param name="Batches">Batches measured.</param>
/// <param name="TeacherEntropy">Mean over teacher rows of H(softmax((t − c) / τt)).</param>
/// <param name="MeanDistributionEntropy">Per batch, H of the teacher distribution averaged over its rows; then the mean over batches.</param>
/// <param name="TeacherStudentKl">Mean over the loss's pairs (teacher crop i, student crop v ≠ i) of KL(P_t^i ‖ P_s^v); null without student outputs.</param>
/// <param name="Loss">Mean over the same pairs of the cross-entropy: the DINO loss, = <paramref name="TeacherEntropy"/> + <paramref name="TeacherStudentKl"/>; null without student outputs.</param>
public sealed record CollapseStatistics(int OutDim, int Batches, double TeacherEntropy, double MeanDistributionEntropy, double? TeacherStudentKl, double? Loss)
{
    /// <summary>Uniform collapse: the teacher's entropy is at least this share of ln K (it is nearly flat for every image).</summary>
    public const double UniformEntropyFraction = 0.98;

    /// <summary>
    /// Uniform collapse, from the loss: the loss within this share of ln K, while the teacher entropy is at least
    /// <see cref="NearUniformEntropyFraction"/> of ln K. The loss alone is not enough: it starts above ln K and passes
    /// through it on its way down in a healthy run.
    /// </summary>
    public const double LossNearLnKFraction = 0.01;

    /// <summary>See <see cref="LossNearLnKFraction"/>.</summary>
    public const double NearUniformEntropyFraction = 0.9;

    /// <summary>
    /// One-hot collapse: the teacher entropy and the entropy of its mean output are both at most this share of ln K
    /// (every image on the same one or two outputs). A sharp teacher alone is healthy when images differ.
    /// </summary>
    public const double OneHotEntropyFraction = 0.05;

    /// <summary>ln K: the entropy of the uniform distribution, and the loss of a uniformly collapsed run.</summary>
    public double LnK => Math.Log(OutDim);

    /// <summary>Whether, and how, the run is collapsing, by the thresholds above.</summary>
    public CollapseKind Kind
    {
        get
        {
            double lnK = LnK;
            if (TeacherEntropy >= UniformEntropyFraction * lnK) return CollapseKind.Uniform;
            if (Loss is double loss && Math.Abs(loss - lnK) <= LossNearLnKFraction * lnK && TeacherEntropy >= NearUniformEntropyFraction * lnK)
                return CollapseKind.Uniform;
            if (TeacherEntropy <= OneHotEntropyFraction * lnK && MeanDistributionEntropy <= OneHotEntropyFraction * lnK)
                return CollapseKind.OneHot;
            return CollapseKind.None;
        }
    }

    /// <summary>True when <see cref="Kind"/> is not <see cref="CollapseKind.None"/>.</summary>
    public bool IsCollapsing => Kind != CollapseKind.None;

    /// <summary>One line for the run's log: the numbers, and the verdict with what to try.</summary>
    public string Describe()
    {
        string Number(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        string text = $"teacher entropy {Number(TeacherEntropy)} (ln K {Number(LnK)}), entropy of the mean teacher output {Number(MeanDistributionEntropy)}";
        if (TeacherStudentKl is double kl) text += $", KL teacher||student {Number(kl)}";
        if (Loss is double loss) text += $", loss {Number(loss)}";
        return text + Kind switch
        {
            CollapseKind.Uniform => ": collapsing (uniform: the teacher gives every image the same flat output; try a lower teacher temperature or a smaller out_dim)",
            CollapseKind.OneHot => ": collapsing (one-hot: the teacher puts every image on the same output; try a higher teacher momentum, a longer last-layer freeze or a higher teacher temperature)",
            _ => ": no collapse",
        };
    }
}
