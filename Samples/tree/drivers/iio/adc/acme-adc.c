// SPDX-License-Identifier: GPL-2.0
/*
 * ACME 12-bit ADC driver
 */

#include <linux/iio/iio.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>

struct acme_adc {
	struct device *dev;
	void __iomem *base;
	struct mutex lock;
	bool enabled;
	u32 vref_mv;
};

static int acme_adc_hw_read(struct acme_adc *st, int chan, int *val)
{
	*val = readl(st->base + 0x10 + chan * 4) & 0xfff;
	return 0;
}

static int acme_adc_read_raw(struct iio_dev *indio_dev,
			     struct iio_chan_spec const *chan,
			     int *val, int *val2, long mask)
{
	struct acme_adc *st = iio_priv(indio_dev);
	int ret;

	switch (mask) {
	case IIO_CHAN_INFO_RAW:
		mutex_lock(&st->lock);
		if (!st->enabled) {
			mutex_unlock(&st->lock);
			return -EBUSY;
		}
		ret = acme_adc_hw_read(st, chan->channel, val);
		mutex_unlock(&st->lock);
		return ret ? ret : IIO_VAL_INT;
	case IIO_CHAN_INFO_SCALE:
		*val = st->vref_mv;
		*val2 = 12;
		return IIO_VAL_FRACTIONAL_LOG2;
	default:
		return -EINVAL;
	}
}

static const struct iio_info acme_adc_info = {
	.read_raw = acme_adc_read_raw,
};

static int acme_adc_parse_dt(struct acme_adc *st)
{
	struct device_node *np = st->dev->of_node;

	if (of_property_read_u32(np, "vref-mv", &st->vref_mv))
		st->vref_mv = 2500;

	return 0;
}

static int acme_adc_probe(struct platform_device *pdev)
{
	struct iio_dev *indio_dev;
	struct acme_adc *st;
	int ret;

	indio_dev = devm_iio_device_alloc(&pdev->dev, sizeof(*st));
	if (!indio_dev)
		return -ENOMEM;

	st = iio_priv(indio_dev);
	st->dev = &pdev->dev;
	mutex_init(&st->lock);

	st->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(st->base))
		return PTR_ERR(st->base);

	ret = acme_adc_parse_dt(st);
	if (ret)
		return ret;

	indio_dev->name = "acme-adc";
	indio_dev->info = &acme_adc_info;
	indio_dev->modes = INDIO_DIRECT_MODE;

	st->enabled = true;
	return devm_iio_device_register(&pdev->dev, indio_dev);
}

static const struct of_device_id acme_adc_of_match[] = {
	{ .compatible = "acme,adc12" },
	{ }
};
MODULE_DEVICE_TABLE(of, acme_adc_of_match);

static struct platform_driver acme_adc_driver = {
	.driver = {
		.name = "acme-adc",
		.of_match_table = acme_adc_of_match,
	},
	.probe = acme_adc_probe,
};
module_platform_driver(acme_adc_driver);

MODULE_DESCRIPTION("ACME 12-bit ADC driver");
MODULE_LICENSE("GPL");
