/* httpreply: see httpreply.h. */
#include "httpreply.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int httpreply_append(char **body, size_t *len, const char *data, size_t n)
{
    char *nb = realloc(*body, *len + n + 1);
    if (!nb) {
        return -1;
    }
    *body = nb;
    memcpy(nb + *len, data, n);
    *len += n;
    nb[*len] = '\0';
    return 0;
}

void httpreply_grab_header(const char *line, size_t n, const char *name, char *out, size_t outlen)
{
    size_t k = strlen(name);
    if (n > k && strncasecmp(line, name, k) == 0) {
        size_t i = k, j = 0;
        while (i < n && line[i] == ' ') {
            i++;
        }
        while (i < n && line[i] != '\r' && line[i] != '\n' && j + 1 < outlen) {
            out[j++] = line[i++];
        }
        out[j] = '\0';
    }
}
