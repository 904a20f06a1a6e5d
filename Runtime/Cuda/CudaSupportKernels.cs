namespace DinoCompiled.Cuda;

/// <summary>
/// The runtime's own small CUDA module: the exact (erf) GELU applied after a cuBLASLt GEMM and its derivative. cuBLASLt's
/// GELU epilogues use the tanh approximation, which differs from PyTorch's nn.GELU by up to 4e-4 and would break the fp32
/// bound, so <see cref="CudaOps.Gemm"/> runs the GEMM with a bias epilogue into the pre-activation and these kernels after it.
/// </summary>
internal static class CudaSupportKernels
{
    public const string GeluForward = "dino_support_gelu_forward";
    public const string GeluBackward = "dino_support_gelu_backward";
    public const int BlockSize = 256;

    public const string Source = """
        // DinoCompiled runtime support kernels: exact GELU after a GEMM, and its derivative.
        extern "C" __global__ void dino_support_gelu_forward(const float* __restrict__ pre, int pre_ld, float* __restrict__ out, int out_ld, int rows, int cols)
        {
            long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
            long long total = (long long)rows * cols;
            for (; i < total; i += (long long)gridDim.x * blockDim.x)
            {
                int r = (int)(i / cols), c = (int)(i % cols);
                float x = pre[(long long)r * pre_ld + c];
                out[(long long)r * out_ld + c] = 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
            }
        }

        extern "C" __global__ void dino_support_gelu_backward(float* __restrict__ grad, int grad_ld, const float* __restrict__ pre, int pre_ld, int rows, int cols)
        {
            long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
            long long total = (long long)rows * cols;
            for (; i < total; i += (long long)gridDim.x * blockDim.x)
            {
                int r = (int)(i / cols), c = (int)(i % cols);
                float x = pre[(long long)r * pre_ld + c];
                float cdf = 0.5f * (1.0f + erff(x * 0.70710678118654752f));
                float pdf = 0.39894228040143268f * expf(-0.5f * x * x);
                grad[(long long)r * grad_ld + c] *= cdf + x * pdf;
            }
        }
        """;
}
