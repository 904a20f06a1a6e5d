namespace DinoCompiled.Cuda.Interop;

/// <summary><c>CUstreamCaptureMode</c> (cuda.h, <c>CUstreamCaptureMode_enum</c>).</summary>
internal enum CuStreamCaptureMode
{
    /// <summary>CU_STREAM_CAPTURE_MODE_GLOBAL: unsafe API calls from any thread fail during the capture.</summary>
    Global = 0,

    /// <summary>CU_STREAM_CAPTURE_MODE_THREAD_LOCAL: only this thread's unsafe calls fail.</summary>
    ThreadLocal = 1,

    /// <summary>CU_STREAM_CAPTURE_MODE_RELAXED: nothing is prohibited.</summary>
    Relaxed = 2,
}
