/* Test harness only: holds a file open as a PDF viewer does (read access, others may
 * only read, not delete or rename), prints "open" once it holds it, and keeps it open
 * until its standard input ends. Used by tests/windows-smoke.sh to check the message
 * zielbericht gives when Windows refuses to replace a folder with an open file. */
#include <stdio.h>
#include <windows.h>

int wmain(int argc, wchar_t **argv) {
    if (argc != 2) return 2;
    HANDLE file = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "cannot open: error %lu\n", GetLastError());
        return 1;
    }
    printf("open\n");
    fflush(stdout);
    while (getchar() != EOF) {
    }
    CloseHandle(file);
    return 0;
}
