"""Convolutional networks: convolution from scratch (im2col), then a small CNN on toy shapes."""

# --8<-- [start:correlate]
import time

import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def cross_correlate2d(image: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """Slide kernel (kh, kw) over image (h, w) without flipping it: what conv layers compute."""
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            f"expected 2-D image and kernel, got {tuple(image.shape)}, {tuple(kernel.shape)}"
        )
    kh, kw = kernel.shape
    windows = image.unfold(0, kh, 1).unfold(1, kw, 1)  # (h-kh+1, w-kw+1, kh, kw)
    return (windows * kernel).sum(dim=(-2, -1))


def convolve2d(image: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """Convolution in the textbook sense: the same sliding sum with the kernel flipped."""
    return cross_correlate2d(image, kernel.flip(0, 1))


# --8<-- [end:correlate]


# --8<-- [start:im2col]
def conv2d_im2col(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int = 1,
    padding: int = 0,
) -> torch.Tensor:
    """2-D convolution (cross-correlation) as one matrix product over unfolded patches.

    x: (N, C_in, H, W); weight: (C_out, C_in, kH, kW); bias: (C_out,) or None.
    """
    if x.ndim != 4:
        raise ValueError(f"expected x of shape (N, C_in, H, W), got {tuple(x.shape)}")
    if weight.ndim != 4 or weight.shape[1] != x.shape[1]:
        raise ValueError(
            f"weight must be (C_out, C_in={x.shape[1]}, kH, kW), got {tuple(weight.shape)}"
        )
    n, _, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    # im2col: every kH x kW patch becomes a column of length C_in*kH*kW.
    cols = F.unfold(x, (kh, kw), padding=padding, stride=stride)  # (N, C_in*kH*kW, L)
    out = (
        weight.reshape(c_out, -1) @ cols
    )  # (N, C_out, L): one matmul does all positions
    if bias is not None:
        out = out + bias.reshape(1, c_out, 1)
    return out.reshape(n, c_out, h_out, w_out)


class ScratchConv2d(nn.Module):
    """A Conv2d built from nn.Parameter and conv2d_im2col, initialized like nn.Conv2d."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int = 0,
    ) -> None:
        super().__init__()
        self.stride, self.padding = stride, padding
        shape = (out_channels, in_channels, kernel_size, kernel_size)
        fan_in = in_channels * kernel_size * kernel_size
        bound = (
            1 / fan_in**0.5
        )  # nn.Conv2d's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
        self.weight = nn.Parameter(torch.empty(shape).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_channels).uniform_(-bound, bound))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return conv2d_im2col(x, self.weight, self.bias, self.stride, self.padding)


# --8<-- [end:im2col]


# --8<-- [start:data]
CLASSES = ("horizontal", "vertical", "diagonal", "box")


def make_shapes(n: int, size: int = 16, noise: float = 0.3, seed: int = 0):
    """n noisy images (n, 1, size, size), each one stroke or box at a random place; labels (n,)."""
    if size < 8:
        raise ValueError(f"images must be at least 8 pixels wide, got size={size}")
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, len(CLASSES), (n,), generator=g)
    images = torch.zeros(n, size, size)
    for i, label in enumerate(labels.tolist()):
        length = int(torch.randint(5, size // 2 + 3, (1,), generator=g))
        r, c = (int(v) for v in torch.randint(0, size - length + 1, (2,), generator=g))
        idx = torch.arange(length)
        if CLASSES[label] == "horizontal":
            images[i, r, c : c + length] = 1.0
        elif CLASSES[label] == "vertical":
            images[i, r : r + length, c] = 1.0
        elif CLASSES[label] == "diagonal":
            images[i, r + idx, c + idx] = 1.0
        else:
            images[i, r, c : c + length] = images[i, r + length - 1, c : c + length] = (
                1.0
            )
            images[i, r : r + length, c] = images[i, r : r + length, c + length - 1] = (
                1.0
            )
    images = images + noise * torch.randn(n, size, size, generator=g)
    return images.unsqueeze(1).to(device), labels.to(device)


# --8<-- [end:data]


# --8<-- [start:model]
class SmallCNN(nn.Module):
    """Two conv-ReLU-pool blocks, then a linear classifier: (N, 1, 16, 16) -> (N, 4) logits."""

    def __init__(
        self, channels: tuple[int, int] = (8, 16), classes: int = len(CLASSES)
    ) -> None:
        super().__init__()
        c1, c2 = channels
        self.conv1 = nn.Conv2d(1, c1, kernel_size=3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(c2 * 4 * 4, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or x.shape[1:] != (1, 16, 16):
            raise ValueError(
                f"expected images of shape (N, 1, 16, 16), got {tuple(x.shape)}"
            )
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        return self.fc(self.flatten(x))


# --8<-- [end:model]


# --8<-- [start:receptive]
# Layers that work pixel by pixel: they keep the window as it is.
ELEMENTWISE = (nn.ReLU, nn.Identity, nn.Dropout, nn.BatchNorm2d)


def _square(value: int | tuple[int, ...], what: str) -> int:
    """One number for a square window setting: 3 or (3, 3)."""
    values = (value,) if isinstance(value, int) else tuple(value)
    if len(set(values)) != 1:
        raise ValueError(f"{what} must be the same along both axes, got {value}")
    return values[0]


def receptive_field(layers: list[nn.Module]) -> int:
    """Side of the square input window that one output unit depends on."""
    # An input pixel sees itself, and neighboring pixels are 1 pixel apart.
    size, jump = 1, 1
    for layer in layers:
        if isinstance(layer, ELEMENTWISE):
            continue
        if not hasattr(layer, "kernel_size"):
            raise TypeError(
                f"receptive_field takes convolution, pooling and element-wise layers, "
                f"got {type(layer).__name__}"
            )
        k = _square(layer.kernel_size, "kernel_size")
        d = _square(getattr(layer, "dilation", 1), "dilation")
        # The window grows by the kernel's span, counted in input pixels.
        size += d * (k - 1) * jump
        jump *= _square(layer.stride, "stride")
    return size


def probe(layers: list[nn.Module]) -> nn.Sequential:
    """The layers' windows without their weights: all-ones one-channel convolutions, and
    average pooling for max pooling, so that every pixel in a window counts and none cancels."""
    probes: list[nn.Module] = []
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            conv = nn.Conv2d(
                1,
                1,
                layer.kernel_size,
                layer.stride,
                layer.padding,
                layer.dilation,
                bias=False,
            )
            nn.init.ones_(conv.weight)
            probes.append(conv)
        elif isinstance(layer, (nn.MaxPool2d, nn.AvgPool2d)):
            if _square(getattr(layer, "dilation", 1), "dilation") != 1:
                raise ValueError(
                    "dilated pooling has no average-pooling twin to probe with"
                )
            probes.append(nn.AvgPool2d(layer.kernel_size, layer.stride, layer.padding))
        elif not isinstance(layer, ELEMENTWISE):
            raise TypeError(f"cannot probe a {type(layer).__name__}")
    return nn.Sequential(*probes)


def measured_receptive_field(layers: list[nn.Module], size: int = 64) -> int:
    """The same, measured: the input rows whose gradient reaches the center output unit."""
    image = torch.ones(1, 1, size, size, requires_grad=True)
    out = probe(layers)(image)
    out[0, 0, out.shape[-2] // 2, out.shape[-1] // 2].backward()
    rows = image.grad[0, 0].abs().sum(dim=1).nonzero()
    return int(rows.max() - rows.min() + 1)


def windows_on_image(layers: list[nn.Module], size: int) -> torch.Tensor:
    """For each output unit, the rows and columns of a size x size image it depends on.

    Returns (H_out, W_out, 2). Near the border part of a unit's window is zero padding, so
    the unit sees fewer image pixels than its receptive field."""
    image = torch.ones(1, 1, size, size, requires_grad=True)
    out = probe(layers)(image)
    windows = torch.zeros(*out.shape[-2:], 2, dtype=torch.long)
    for row in range(out.shape[-2]):
        for col in range(out.shape[-1]):
            (grad,) = torch.autograd.grad(out[0, 0, row, col], image, retain_graph=True)
            seen = grad[0, 0] != 0
            windows[row, col] = torch.tensor(
                [int(seen.any(dim=1).sum()), int(seen.any(dim=0).sum())]
            )
    return windows


# --8<-- [end:receptive]


# --8<-- [start:train]
def train_cnn(
    epochs: int = 4, n_train: int = 2000, n_test: int = 1000, batch: int = 50
) -> dict:
    """Train SmallCNN with Adam on synthetic shapes; return the model, accuracy and time."""
    x, y = make_shapes(n_train, seed=0)
    x_test, y_test = make_shapes(n_test, seed=1)
    torch.manual_seed(0)
    model = SmallCNN().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    order = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for idx in torch.randperm(n_train, generator=order).split(batch):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        predictions = model(x_test).argmax(dim=1)
    return {
        "model": model,
        "seconds": seconds,
        "test_accuracy": (predictions == y_test).float().mean().item(),
        "x_test": x_test,
        "y_test": y_test,
        "predictions": predictions,
        "n_train": n_train,
        "n_test": n_test,
        "epochs": epochs,
    }


if __name__ == "__main__":
    result = train_cnn()
    parameters = sum(p.numel() for p in result["model"].parameters())
    print(f"SmallCNN: {parameters} parameters, trained in {result['seconds']:.1f} s")
    print(f"test accuracy: {result['test_accuracy']:.1%}")
# --8<-- [end:train]
