/* Test harness only, never shipped: Debian's Wine 8 has no bcryptprimitives.dll, whose
 * ProcessPrng Rust's standard library calls for random bytes (HashMap seeds). This stub
 * answers it with advapi32's RtlGenRandom (SystemFunction036), which Wine has. Built by
 * tests/windows-smoke.sh and placed beside the .exe under test. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
