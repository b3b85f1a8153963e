# The testbed's HTTP (80) and HTTPS (443) servers on every address of their namespace, IPv4 and
# IPv6, over sockets of a protocol (262 MPTCP, 6 TCP). Each GET gets 200 and the same body, then
# the connection closes. Arguments: protocol, certificate, key, body bytes (a multiple of 17).
import socket, ssl, sys, threading
proto = int(sys.argv[1])
tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
tls.load_cert_chain(sys.argv[2], sys.argv[3])
body = b'mpcensus testbed\n' * (int(sys.argv[4]) // 17)
head = b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n' + b'Content-Length: %d\r\nConnection: close\r\n\r\n' % len(body)


def handle(c, secure):
    try:
        c.settimeout(10)
        if secure:
            c = tls.wrap_socket(c, server_side=True)
        data = b''
        while b'\r\n\r\n' not in data and len(data) < 16384:
            chunk = c.recv(4096)
            if not chunk:
                return
            data += chunk
        c.sendall(head + body)
    except Exception:
        pass
    finally:
        c.close()


def serve(port, family, address):
    s = socket.socket(family, socket.SOCK_STREAM, proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((address, port))
    s.listen(4096)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c, port == 443), daemon=True).start()


threads = [threading.Thread(target=serve, args=(p, f, a), daemon=True)
           for p in (80, 443)
           for f, a in ((socket.AF_INET, '0.0.0.0'), (socket.AF_INET6, '::'))]
[t.start() for t in threads]
print('listening', flush=True)
threading.Event().wait()
